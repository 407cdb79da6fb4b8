/** Calls and answer shapes of the reports views (through ../api's request: the one caller of /api/v1), and
 * the lists the reports filters and the scheduled tasks' keys pick from (stations, charging users, user groups). */

import { request, type Page, type StationRow } from "../api";

export type Delimiter = "," | ";";

export type ReportRequest = {
  from: string;
  to: string;
  group_ids: string[];
  station_ids: string[];
  points: { station_id: string; point: number }[];
  charging_user_ids: string[];
  user_group_ids: string[];
  token_ids: string[];
  format: "csv";
  delimiter: Delimiter;
};

export type ReportState = "Running" | "Done" | "Failed";
export type Started = { report_id: string; state: ReportState };
export type Report = Started & {
  rows_done: number;
  estimate: number;
  session_count: number;
  total_kwh: number;
  timezone: string;
  file_name: string;
  download_url: string | null;
  error: string | null;
  created_at: string;
  updated_at: string | null;
};
export type ReportRow = {
  charging_user: string;
  token_name: string;
  charging_station: string;
  charging_point: number;
  kwh: number;
  start: string;
  end: string;
  token_id: string;
  station_id: string;
  duration_s: number;
};
export type ReportRows = { rows: ReportRow[]; next_cursor: string | null };

export const reportsApi = {
  start: (body: ReportRequest) => request<Started>("/reports", { method: "POST", body }),
  get: (reportId: string) => request<Report>(`/reports/${encodeURIComponent(reportId)}`),
  rows: (reportId: string, limit: number, cursor?: string) =>
    request<ReportRows>(`/reports/${encodeURIComponent(reportId)}/rows`, { query: { limit, cursor } }),
};

// --- what the filters and the tasks' keys pick from (the first 100 of each list) -----------------

export type ChargingUserRow = {
  user_id: string;
  first_name: string;
  last_name: string;
  email: string;
  token_count: number;
  active: boolean;
};
export type ChargingUserTokens = ChargingUserRow & { tokens: { token_id: string; name: string | null }[] };
export type UserGroupRow = { user_group_id: string; name: string; active: boolean; member_count: number };

export const CHOICES_LIMIT = 100;

export const choicesApi = {
  stations: () => request<Page<StationRow>>("/stations", { query: { limit: CHOICES_LIMIT } }),
  chargingUsers: () => request<Page<ChargingUserRow>>("/charging-users", { query: { limit: CHOICES_LIMIT } }),
  chargingUser: (userId: string) => request<ChargingUserTokens>(`/charging-users/${encodeURIComponent(userId)}`),
  userGroups: () => request<Page<UserGroupRow>>("/user-groups", { query: { limit: CHOICES_LIMIT } }),
};
