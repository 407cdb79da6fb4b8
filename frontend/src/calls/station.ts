/** Calls and answer shapes of the station views (through ../api's request: the one caller of /api/v1),
 * as /api/v1/openapi.json has them: stations, their settings, points, configuration keys, firmware. */

import { ApiError, request, type Page, type StationRow } from "../api";

export type Socket = { type: string; max_kw: number };
export type PointDetail = {
  point: number;
  status: string;
  ocpp_status: string | null;
  error_code: string | null;
  info: string | null;
  since: string | null;
  configured: boolean;
  sockets: Socket[];
};
export type StationDetail = {
  station_id: string;
  name: string;
  group_id: string | null;
  group_name: string | null;
  orphan: boolean;
  connected: boolean;
  registration: string;
  station_status: string | null;
  maintenance: boolean;
  points: PointDetail[];
  vendor: string | null;
  model: string | null;
  serial_number: string | null;
  firmware_version: string | null;
  firmware_status: string | null;
  last_seen_at: string | null;
  created_at: string | null;
  point_count: number;
  version: number;
  evse_code: string | null;
  evse_name: string | null;
  emi3_id: string | null;
  roaming: boolean;
  current_power_kw: number | null;
};
export type Metadata = { evse_code: string | null; evse_name: string | null; emi3_id: string | null; roaming: boolean };
export type ConfigKey = {
  key: string;
  value: string | null;
  readonly: boolean;
  reported: boolean;
  recommended: string | null;
  desired: string | null;
  origin: string | null;
  drift: boolean;
  status: string | null;
  status_at: string | null;
};
export type Configuration = {
  station_id: string;
  source: string;
  template_id: string | null;
  applied_template_id: string | null;
  applying: number;
  refreshed_at: string | null;
  unknown_keys: string[];
  drift: number;
  keys: ConfigKey[];
};
export type ConfigCommand = {
  command_id: string;
  action: string;
  state: string;
  status: string | null;
  error: string | null;
  message: string | null;
};
export type FirmwareUpdate = { version: string; status: string; reason: string | null; updated_at: string };

const WAIT_S = 20; // under API Gateway's 29 s: the charger's answer usually comes within a second or two
const at = (stationId: string) => `/stations/${encodeURIComponent(stationId)}`;

export const stationApi = {
  list: (query: { limit?: number; cursor?: string; q?: string; group_id?: string; orphans?: "true" }) =>
    request<Page<StationRow>>("/stations", { query }),
  create: (body: { station_id: string; name?: string; group_id?: string }) =>
    request<StationDetail>("/stations", { method: "POST", body }),
  get: (stationId: string) => request<StationDetail>(at(stationId)),
  edit: (stationId: string, body: { name: string; group_id: string | null; version: number }) =>
    request<StationDetail>(at(stationId), { method: "PUT", body }),
  setMetadata: (stationId: string, body: Metadata & { version: number }) =>
    request<StationDetail>(`${at(stationId)}/metadata`, { method: "PUT", body }),
  setRegistration: (stationId: string, registration: string) =>
    request<StationDetail>(`${at(stationId)}/registration`, { method: "PUT", body: { registration } }),
  setMaintenance: (stationId: string, disabled: boolean) =>
    request<{ station: StationDetail }>(`${at(stationId)}/maintenance`, { method: "PUT", body: { disabled } }),
  remove: (stationId: string) => request<null>(at(stationId), { method: "DELETE" }),
  setPoints: (stationId: string, points: { sockets: Socket[] }[], version: number) =>
    request<StationDetail>(`${at(stationId)}/points`, { method: "PUT", body: { points, version } }),
  configuration: (stationId: string, q?: string) =>
    request<Configuration>(`${at(stationId)}/configuration`, { query: { q } }),
  refreshConfiguration: (stationId: string) =>
    request<ConfigCommand>(`${at(stationId)}/configuration/refresh`, { method: "POST", query: { wait: WAIT_S } }),
  changeKey: (stationId: string, key: string, value: string) =>
    request<{ command: ConfigCommand; key: ConfigKey }>(`${at(stationId)}/configuration/keys/${encodeURIComponent(key)}`, {
      method: "PUT", body: { value }, query: { wait: WAIT_S },
    }),
  useSystemConfiguration: (stationId: string) =>
    request<{ commands: ConfigCommand[] }>(`${at(stationId)}/configuration/system`, { method: "POST" }),
  firmwareUpdate: (stationId: string) => request<FirmwareUpdate>(`${at(stationId)}/firmware-update`),
};

/** A configuration command the charger did not take fails with the API's manual text
 * ("Charging point configuration error."), shown like any refusal. */
export function taken<T extends ConfigCommand>(command: T): T {
  if (command.message) throw new ApiError(200, command.message);
  return command;
}
