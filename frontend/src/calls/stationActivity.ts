/** Calls and answer shapes of the stationActivity views (through ../api's request: the one caller of /api/v1):
 * a station's remote commands and their outcome, its event feed and its statistics. */

import { request, type Page, type StationLive } from "../api";

/** A remote command as the API reports it (the availability route answers a subset of these fields). */
export type Command = {
  command_id: string;
  action: string;
  state: string; // Queued, Pending, Answered, Failed, TimedOut or Offline
  response: Record<string, unknown> | null;
  error: string | null;
  message: string | null; // "Remote command execution failed." when it ended without doing what was asked
  created_at: string;
  completed_at: string | null;
  payload?: Record<string, unknown>;
  succeeded?: boolean;
  operator?: string | null;
};

export type StationEvent = {
  info: string | null;
  connector_id: number;
  status: string | null;
  error_type: string | null;
  vendor_error_code: string | null;
  timestamp: string;
  kind: string;
};

export type EventPage = {
  day: string;
  timezone: string;
  previous_day: string;
  next_day: string | null;
  items: StationEvent[];
  cursor: string | null;
};

export type EventFilters = { day?: string; status?: string; error_type?: string; q?: string };

export type StationStatistics = {
  station_id: string;
  timezone: string;
  last_24_hours: { charging_events: number; used_points: number; energy_kwh: number };
  days: { date: string; sessions: number; energy_kwh: number }[];
};

// A charger on the same network answers in well under a second: the first answer usually carries the outcome.
const FIRST_WAIT_S = 3;
const HISTORY_PAGE = 10;
const EVENTS_PAGE = 50;

const station = (id: string) => `/stations/${encodeURIComponent(id)}`;

export const stationActivityApi = {
  status: (id: string) => request<StationLive>(`${station(id)}/status`),
  send: (id: string, action: string, payload: Record<string, unknown>) =>
    request<Command>(`${station(id)}/commands`, { method: "POST", body: { action, payload }, query: { wait: FIRST_WAIT_S } }),
  availability: (id: string, available: boolean) =>
    request<Command>(`${station(id)}/availability`, { method: "POST", body: { available, wait: FIRST_WAIT_S } }),
  command: (id: string, commandId: string) => request<Command>(`${station(id)}/commands/${encodeURIComponent(commandId)}`),
  history: (id: string, cursor?: string) =>
    request<Page<Command>>(`${station(id)}/commands`, { query: { limit: HISTORY_PAGE, cursor } }),
  events: (id: string, filters: EventFilters, cursor?: string) =>
    request<EventPage>(`${station(id)}/events`, { query: { ...filters, limit: EVENTS_PAGE, cursor } }),
  statistics: (id: string, days: number) => request<StationStatistics>(`${station(id)}/statistics`, { query: { days } }),
};

/** The states a command is still in while the charger has not answered. */
export const isOpen = (command: Command) => command.state === "Pending" || command.state === "Queued";
