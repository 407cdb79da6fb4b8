/** Calls and answer shapes of the scheduled tasks view (through ../api's request: the one caller of /api/v1). */

import { request, type Page } from "../api";

export type TaskType = "max_current" | "user_activation" | "user_group_activation";
export type ScheduleKind = "daily" | "weekly" | "monthly";
export type Weekday = "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun";
export const WEEKDAYS: Weekday[] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export type Schedule = {
  kind: ScheduleKind;
  hour: number;
  minute: number;
  weekdays: Weekday[];
  day_of_month: number | null;
  time_zone: "UTC" | "organization";
};
export type TaskKey = { station_id?: string; charging_user_id?: string; user_group_id?: string };
export type TaskValue = { amperes?: number; active?: boolean };
export type TaskBody = { name: string; type: TaskType; key: TaskKey; value: TaskValue; schedule: Schedule; active: boolean };

export type LastRun = { outcome: string; at: string; occurrence: string; detail: string | null };
export type Task = Omit<TaskBody, "type"> & {
  task_id: string;
  type: TaskType;
  next_run_at: string | null;
  next_run_local: string | null;
  organization_time_zone: string;
  retry_at: string | null;
  last_run: LastRun | null;
  failing: boolean;
  version: number;
  created_at: string;
  updated_at: string;
};
export type TaskRun = {
  run_id: string;
  occurrence: string;
  attempt: number;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  detail: string | null;
  command_id: string | null;
};
export type TaskFilter = { type?: TaskType; name?: string; cursor?: string; limit?: number };

const path = (taskId: string) => `/scheduled-tasks/${encodeURIComponent(taskId)}`;

export const tasksApi = {
  list: (query: TaskFilter) => request<Page<Task>>("/scheduled-tasks", { query }),
  create: (body: TaskBody) => request<Task>("/scheduled-tasks", { method: "POST", body }),
  update: (taskId: string, body: TaskBody & { version: number }) => request<Task>(path(taskId), { method: "PUT", body }),
  remove: (taskId: string) => request<null>(path(taskId), { method: "DELETE" }),
  copy: (taskId: string) => request<Task>(`${path(taskId)}/copy`, { method: "POST" }),
  activate: (task_ids: string[], active: boolean) =>
    request<{ items: Task[] }>("/scheduled-tasks/activation", { method: "POST", body: { task_ids, active } }),
  runs: (taskId: string, cursor?: string) => request<Page<TaskRun>>(`${path(taskId)}/runs`, { query: { cursor, limit: 20 } }),
  organization: () => request<{ org_id: string; name: string; timezone: string }>("/organization"),
};
