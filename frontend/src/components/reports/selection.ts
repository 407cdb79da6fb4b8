/** The reports filters as the form holds them, and the API's report request they make. */

import type { Delimiter, ReportRequest } from "../../calls/reports";

export type Filters = {
  from: string;
  to: string;
  groups: string[];
  points: string[]; // pointChoice() values: a whole station or one of its points
  users: string[];
  userGroups: string[];
  tokens: string[];
  delimiter: Delimiter;
};

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The current month so far (the manual's view opens with no dates; a month is what is most often asked). */
export function initialFilters(today = new Date()): Filters {
  const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
  return { from: day(first), to: day(today), groups: [], points: [], users: [], userGroups: [], tokens: [], delimiter: "," };
}

/** A charging point choice: a station (every point) or one point, as a select value. */
export const pointChoice = (stationId: string, point?: number) => JSON.stringify(point === undefined ? [stationId] : [stationId, point]);

export function toRequest(filters: Filters): ReportRequest {
  const station_ids: string[] = [];
  const points: { station_id: string; point: number }[] = [];
  for (const value of filters.points) {
    const [station_id, point] = JSON.parse(value) as [string, number?];
    if (point === undefined) station_ids.push(station_id);
    else points.push({ station_id, point });
  }
  return {
    from: filters.from, to: filters.to, group_ids: filters.groups, station_ids, points,
    charging_user_ids: filters.users, user_group_ids: filters.userGroups, token_ids: filters.tokens,
    format: "csv", delimiter: filters.delimiter,
  };
}
