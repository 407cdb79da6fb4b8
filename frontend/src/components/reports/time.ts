/** Times as the API gives them, shown without conversion: the local time with its UTC offset, or UTC. */

/** "2026-11-21T10:05:00+02:00" -> "2026-11-21 10:05 +02:00"; "...Z" -> "... UTC". */
export function localTime(iso: string): string {
  const offset = /([+-]\d\d:\d\d|Z)$/.exec(iso)?.[1] ?? "";
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} ${offset === "Z" || offset === "+00:00" ? "UTC" : offset}`.trim();
}
