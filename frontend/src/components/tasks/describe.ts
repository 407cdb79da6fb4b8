/** How a task reads in the list: its key by name, its value, its schedule, its next run in UTC and local time. */

import type { Schedule, Task } from "../../calls/tasks";
import { strings } from "../../strings";
import { localTime } from "../reports/time";

const t = strings.tasks;
const two = (n: number) => String(n).padStart(2, "0");

export type KeyNames = Record<string, string>; // key id (station, charging user, user group) -> what the operator reads

export function keyText(task: Task, names: KeyNames): string {
  const id = task.key.station_id ?? task.key.charging_user_id ?? task.key.user_group_id ?? "";
  return names[id] ?? id;
}

export function valueText(task: Task): string {
  if (task.value.amperes !== undefined) return t.amperes(task.value.amperes);
  return task.value.active ? t.activeValue : t.inactiveValue;
}

export function scheduleText(schedule: Schedule, zone: string): string {
  const days =
    schedule.kind === "weekly" ? schedule.weekdays.join(", ")
    : schedule.kind === "monthly" && schedule.day_of_month ? t.dayOfMonth(schedule.day_of_month)
    : "";
  const shownZone = schedule.time_zone === "organization" ? zone : t.utc;
  return t.scheduleText(t.kinds[schedule.kind] ?? schedule.kind, days, `${two(schedule.hour)}:${two(schedule.minute)}`, shownZone);
}

/** The next run in UTC, and in the organization's zone when the schedule follows it. */
export function nextRunText(task: Task): { utc: string; local: string | null } | null {
  if (!task.next_run_at) return null;
  return {
    utc: localTime(task.next_run_at),
    local: task.next_run_local ? t.nextLocal(localTime(task.next_run_local), task.organization_time_zone) : null,
  };
}
