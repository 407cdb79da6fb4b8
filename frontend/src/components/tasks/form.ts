/** The task dialog's fields as typed, and the API's task body they make (the API checks the values). */

import type { ScheduleKind, Task, TaskBody, TaskKey, TaskType, TaskValue, Weekday } from "../../calls/tasks";

export type TaskForm = {
  name: string;
  type: TaskType | "";
  key: string;
  amperes: string;
  active: "true" | "false";
  kind: ScheduleKind;
  weekdays: Weekday[];
  dayOfMonth: string;
  hour: string;
  minute: string;
  timeZone: "UTC" | "organization";
  taskActive: boolean;
};

export const EMPTY_FORM: TaskForm = {
  name: "", type: "", key: "", amperes: "", active: "true", kind: "daily", weekdays: [], dayOfMonth: "1",
  hour: "0", minute: "0", timeZone: "UTC", taskActive: true,
};

export function formOf(task: Task): TaskForm {
  const s = task.schedule;
  return {
    name: task.name, type: task.type, key: task.key.station_id ?? task.key.charging_user_id ?? task.key.user_group_id ?? "",
    amperes: task.value.amperes === undefined ? "" : String(task.value.amperes), active: task.value.active === false ? "false" : "true",
    kind: s.kind, weekdays: s.weekdays, dayOfMonth: String(s.day_of_month ?? 1), hour: String(s.hour), minute: String(s.minute),
    timeZone: s.time_zone, taskActive: task.active,
  };
}

/** A number as typed, or the text itself for the API to refuse with its own words. */
const number = (text: string): number => (text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : (text as unknown as number));

function keyOf(form: TaskForm): TaskKey {
  if (form.type === "max_current") return { station_id: form.key };
  if (form.type === "user_activation") return { charging_user_id: form.key };
  return { user_group_id: form.key };
}

function valueOf(form: TaskForm): TaskValue {
  return form.type === "max_current" ? { amperes: number(form.amperes) } : { active: form.active === "true" };
}

export function bodyOf(form: TaskForm): TaskBody {
  return {
    name: form.name,
    type: form.type as TaskType,
    key: keyOf(form),
    value: valueOf(form),
    schedule: {
      kind: form.kind,
      hour: number(form.hour),
      minute: number(form.minute),
      weekdays: form.kind === "weekly" ? form.weekdays : [],
      day_of_month: form.kind === "monthly" ? number(form.dayOfMonth) : null,
      time_zone: form.timeZone,
    },
    active: form.taskActive,
  };
}
