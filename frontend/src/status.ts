/** The manual's charging point icons: one colour and symbol per displayed status (white symbol on a
 * colour with at least 4.5:1 contrast, so the symbol reads without the colour too). */

export type StatusStyle = { color: string; symbol: string };

export const STATUS_ORDER = ["Charging", "Available", "Unavailable", "Issue detected", "Suspended", "Disabled", "Offline"];

export const STATUS_STYLE: Record<string, StatusStyle> = {
  Charging: { color: "#1864ab", symbol: "⚡" },
  Available: { color: "#2b7a3b", symbol: "✓" },
  Unavailable: { color: "#495057", symbol: "–" },
  "Issue detected": { color: "#c92a2a", symbol: "!" },
  Suspended: { color: "#a04a00", symbol: "‖" },
  Disabled: { color: "#212529", symbol: "×" },
  Offline: { color: "#6c757d", symbol: "?" },
};

export const styleOf = (status: string): StatusStyle => STATUS_STYLE[status] ?? STATUS_STYLE.Offline;
