/** Dates and times as the manual shows them (17/08/2018 10:55), in a given time zone or the browser's, and
 * a date picked in that zone as an instant. */

function wallClock(at: Date, timeZone?: string) {
  const parts = new Intl.DateTimeFormat("en-GB", {
    day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone,
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: part("day"), month: part("month"), year: part("year"), hour: part("hour"), minute: part("minute") };
}

export function dateTime(iso: string, timeZone?: string): string {
  const { day, month, year, hour, minute } = wallClock(new Date(iso), timeZone);
  return `${day}/${month}/${year} ${hour}:${minute}`;
}

/** A datetime-local value ("2026-11-26T14:30") read in the given time zone (or the browser's), as ISO UTC. */
export function zonedToIso(local: string, timeZone?: string): string {
  if (!timeZone) return new Date(local).toISOString();
  const wall = Date.parse(`${local}:00Z`); // the same wall-clock reading, as if it were UTC
  const offset = (at: number) => {
    const { day, month, year, hour, minute } = wallClock(new Date(at), timeZone);
    return Date.parse(`${year}-${month}-${day}T${hour}:${minute}:00Z`) - Math.floor(at / 60_000) * 60_000;
  };
  const first = wall - offset(wall);
  return new Date(wall - offset(first)).toISOString(); // the second guess settles around a DST change
}
