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

/** Refresh configuration's answer (GetConfiguration): a command without its request and times. */
export type RefreshAnswer = Pick<Command, "command_id" | "action" | "state" | "error" | "message"> & { status: string | null };

export type FirmwareFile = {
  file_id: string;
  name: string;
  version: string;
  size: number;
  state: string; // "Awaiting upload" or "Ready"
  uploaded_by: string;
  created_at: string;
};

/** A presigned S3 form: POST every field, then the file as `file`. */
export type UploadForm = { method: string; url: string; fields: Record<string, string>; expires_in: number };

export type FirmwareUpdate = {
  update_id: string;
  version: string;
  status: string; // Requested, Accepted, Downloading, Downloaded, Installing, Installed, DownloadFailed, InstallationFailed, Failed
  reason: string | null;
  requested_by: string | null;
  requested_at: string;
  retrieve_date: string;
  updated_at: string;
};

export type DiagnosticsOptions = { start_time?: string; stop_time?: string; retries?: number; retry_interval?: number };

export type DiagnosticsRequest = {
  request_id: string;
  status: string; // Requested, No diagnostics, Uploading, Uploaded, UploadFailed or Failed
  file_name: string | null;
  reason: string | null;
  requested_by: string;
  requested_at: string;
  updated_at: string;
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
  /** The organization's time zone, in which the history shows its times (any operator may read it). */
  timezone: () => request<{ timezone: string }>("/organization").then((org) => org.timezone),
  refreshConfiguration: (id: string) =>
    request<RefreshAnswer>(`${station(id)}/configuration/refresh`, { method: "POST", query: { wait: FIRST_WAIT_S } }),
  firmwareFiles: () => request<{ items: FirmwareFile[] }>("/firmware/files").then((list) => list.items),
  startUpload: (file: { name: string; version: string; size: number }) =>
    request<{ file: FirmwareFile; upload: UploadForm }>("/firmware/files", { method: "POST", body: file }),
  confirmUpload: (fileId: string) => request<FirmwareFile>(`/firmware/files/${encodeURIComponent(fileId)}/uploaded`, { method: "POST" }),
  updateFirmware: (id: string, body: { file_id: string; retrieve_date?: string }) =>
    request<FirmwareUpdate>(`${station(id)}/firmware-update`, { method: "POST", body }),
  firmwareUpdate: (id: string) => request<FirmwareUpdate>(`${station(id)}/firmware-update`),
  requestDiagnostics: (id: string, body: DiagnosticsOptions) =>
    request<DiagnosticsRequest>(`${station(id)}/diagnostics`, { method: "POST", body }),
  diagnostics: (id: string) => request<{ items: DiagnosticsRequest[] }>(`${station(id)}/diagnostics`).then((list) => list.items),
  diagnosticsDownload: (id: string, requestId: string) =>
    request<{ url: string; expires_in: number }>(`${station(id)}/diagnostics/${encodeURIComponent(requestId)}/download`),
};

/** The states a command is still in while the charger has not answered. */
export const isOpen = (command: Command) => command.state === "Pending" || command.state === "Queued";

/** Firmware update statuses after which nothing moves any more. */
export const FIRMWARE_FINAL = new Set(["Installed", "DownloadFailed", "InstallationFailed", "Failed"]);

/** Diagnostics statuses after which nothing moves any more. */
export const DIAGNOSTICS_FINAL = new Set(["Uploaded", "UploadFailed", "No diagnostics", "Failed"]);

/** Posts a file with its presigned form straight to the bucket (not through /api/v1); XMLHttpRequest because
 * it reports upload progress. Rejects with the HTTP status (0: the bucket could not be reached). */
export function postToBucket(form: UploadForm, file: File, onProgress: (fraction: number) => void): Promise<void> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append("file", file); // S3 ignores every field after the file
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(form.method, form.url);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new BucketError(xhr.status)));
    xhr.onerror = () => reject(new BucketError(0));
    xhr.send(body);
  });
}

export class BucketError extends Error {
  constructor(readonly status: number) {
    super(`upload answered ${status}`);
  }
}
