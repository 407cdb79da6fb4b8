/** Calls and answer shapes of the groups views (through ../api's request: the one caller of /api/v1). */

import { ApiError, request, type Dashboard, type Group, type Page, type StationRow, type Summary } from "../api";

export type StationBrief = { station_id: string; name: string; point_count: number };
export type GroupDetails = Group & { parent_name: string | null; stations: StationBrief[]; subgroups: Group[] };
export type GroupStatistics = {
  group_id: string;
  name: string;
  timezone: string;
  summary: Summary;
  last_24_hours: Dashboard["last_24_hours"];
  days: Dashboard["days"];
  stations: { station_id: string; days: Dashboard["days"] }[];
};
export type CountedGroup = Group & { station_count: number | null };
export type NewGroup = { name: string; parent_id: string | null; station_ids: string[] };
export type GroupEdit = { name: string; parent_id: string | null; version: number };

const path = (groupId: string) => `/groups/${encodeURIComponent(groupId)}`;

export const groupsApi = {
  /** The domain's tree with each group's station count (its whole subtree). */
  countedTree: () => request<{ items: CountedGroup[] }>("/groups/tree", { query: { counts: "true" } }),
  details: (groupId: string) => request<GroupDetails>(path(groupId)),
  statistics: (groupId: string, days: number) => request<GroupStatistics>(`${path(groupId)}/statistics`, { query: { days } }),
  create: (body: NewGroup) => request<GroupDetails>("/groups", { method: "POST", body }),
  update: (groupId: string, body: GroupEdit) => request<GroupDetails>(path(groupId), { method: "PUT", body }),
  remove: (groupId: string) => request<null>(path(groupId), { method: "DELETE" }),
  addStation: (groupId: string, station_id: string) =>
    request<GroupDetails>(`${path(groupId)}/stations`, { method: "POST", body: { station_id } }),
  /** Orphan stations (no group) matching `q`: only admins of the whole organization see them; for
   * anyone else there are none to pick. */
  orphans: (q: string, limit: number) =>
    request<Page<StationRow>>("/stations", { query: { q, limit, orphans: "true" } }).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 403) return { items: [], cursor: null };
      throw error;
    }),
  removeStation: (groupId: string, stationId: string) =>
    request<null>(`${path(groupId)}/stations/${encodeURIComponent(stationId)}`, { method: "DELETE" }),
};
