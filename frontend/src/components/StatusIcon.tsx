/** One charging point's square icon; with a label it is an image named by its status (screen readers,
 * tooltip), without one it is decoration next to a text that says the same. */

import { styleOf } from "../status";

export function StatusIcon({ label, status, size = 22 }: { label?: string; status: string; size?: number }) {
  const style = styleOf(status);
  const named = label ? { role: "img", "aria-label": label, title: label } : { "aria-hidden": true };
  return (
    <span {...named} data-status={status}
      style={{
        display: "inline-flex", alignItems: "center", justifyContent: "center", width: size, height: size,
        background: style.color, color: "#fff", fontSize: size * 0.6, fontWeight: 700, borderRadius: 3, lineHeight: 1,
      }}>
      <span aria-hidden="true">{style.symbol}</span>
    </span>
  );
}
