/** The REST API client: one place that calls /api/v1, keeps the session token and turns error bodies
 * into the manual's texts (the API already words its errors as the manual does; see strings.errors). */

import { strings } from "./strings";

const BASE = "api/v1"; // relative: works at the local stack's root and behind CloudFront alike
const TOKEN_KEY = "csms.token";
const DEVICE_KEY = "csms.device"; // per browser, 90 days: strangers' failed guesses cannot lock it out

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly requestId: string | null = null,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** True when the session is gone: the app goes back to the log-in page. */
  get loggedOut(): boolean {
    return this.status === 401;
  }
}

type ErrorBody = { message?: unknown; request_id?: unknown; errors?: unknown };

/** The text an operator reads for a failed answer: the API's message, else the manual's system error. */
export function errorFromResponse(status: number, body: unknown): ApiError {
  const data = (body && typeof body === "object" ? body : {}) as ErrorBody;
  const requestId = typeof data.request_id === "string" ? data.request_id : null;
  const fields = Array.isArray(data.errors)
    ? data.errors.filter((e) => e && typeof e.field === "string" && typeof e.message === "string")
    : [];
  const message = typeof data.message === "string" && data.message ? data.message : strings.errors.system(status);
  return new ApiError(status, message, requestId, fields);
}

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  setToken: (token: string | null) =>
    token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY),
  deviceToken: (): string | null => localStorage.getItem(DEVICE_KEY),
  setDeviceToken: (token: string) => localStorage.setItem(DEVICE_KEY, token),
};

type Options = { method?: string; body?: unknown; query?: Record<string, string | number | undefined> };

export async function request<T>(path: string, { method = "GET", body, query }: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== "") params.set(key, String(value));
  const url = `${BASE}${path}${params.size ? `?${params}` : ""}`;
  let answer: Response;
  try {
    answer = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, strings.errors.unreachable);
  }
  const parsed = await answer.text().then(parseJson);
  if (!answer.ok) {
    const error = errorFromResponse(answer.status, parsed);
    if (error.loggedOut && token) session.setToken(null);
    throw error;
  }
  return parsed as T;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// --- the API's shapes (as in /api/v1/openapi.json) -----------------------------------------------

export type Operator = { username: string; organization: string; role: string; base_group_id: string };
export type LoginAnswer = Operator & { token: string; expires_at: string; device_token: string };
export type Account = {
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  role: string;
  version: number;
};
export type Summary = {
  stations: number;
  points: number;
  charging: number;
  issues: number;
  statuses: Record<string, number>;
  donut: Record<string, number>;
};
export type Dashboard = {
  selection: string[];
  selected: Summary;
  groups: { group_id: string; name: string; summary: Summary }[];
  domain: Summary;
  last_24_hours: { charging_events: number; used_points: number; energy_kwh: number };
  timezone: string;
  days: { date: string; sessions: number; energy_kwh: number }[];
};
export type Group = { group_id: string; name: string; parent_id: string | null; depth: number; version: number };
export type StationRow = {
  station_id: string;
  name: string;
  group_id: string | null;
  group_name: string | null;
  point_count: number;
  firmware_version: string | null;
};
export type Page<T> = { items: T[]; cursor: string | null };
export type PointLive = { point: number; status: string; ocpp_status: string | null; error_code: string | null };
export type StationLive = { station_id: string; connected: boolean; points: PointLive[] };
export type StationPoints = StationLive & { name: string; group_id: string | null };

// --- calls ---------------------------------------------------------------------------------------

export const api = {
  login: (username: string, password: string) =>
    request<LoginAnswer>("/auth/login", {
      method: "POST",
      body: { username, password, ...(session.deviceToken() ? { device_token: session.deviceToken() } : {}) },
    }),
  logout: () => request<null>("/auth/logout", { method: "POST" }),
  session: () => request<Operator>("/auth/session"),
  lostPassword: (email: string) => request<{ message: string }>("/auth/lost-password", { method: "POST", body: { email } }),
  setPassword: (kind: "activate" | "reset-password", token: string, password: string) =>
    request<null>(`/auth/${kind}`, { method: "POST", body: { token, password } }),
  account: () => request<Account>("/account"),
  updateAccount: (body: { first_name: string; last_name: string; email: string; version: number }) =>
    request<Account>("/account", { method: "PUT", body }),
  changePassword: (current_password: string, new_password: string) =>
    request<null>("/account/password", { method: "PUT", body: { current_password, new_password } }),
  dashboard: (days = 7) => request<Dashboard>("/dashboard", { query: { days } }),
  selectGroups: (group_ids: string[]) =>
    request<{ group_ids: string[] }>("/dashboard/selection", { method: "PUT", body: { group_ids } }),
  groupTree: () => request<{ items: Group[] }>("/groups/tree"),
  stations: (query: { limit?: number; cursor?: string; q?: string; group_id?: string }) =>
    request<Page<StationRow>>("/stations", { query }),
  points: (group_id: string, limit = 100) => request<Page<StationPoints>>("/dashboard/points", { query: { group_id, limit } }),
  stationStatus: (stationId: string) => request<StationLive>(`/stations/${encodeURIComponent(stationId)}/status`),
};
