/** A wide table's horizontal scroller that keyboard users can focus and scroll (WCAG: scrollable regions). */

import type { ReactNode } from "react";

export function ScrollBox({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: "auto" }}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
