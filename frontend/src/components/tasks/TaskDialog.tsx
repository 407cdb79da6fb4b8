/** The manual's "Schedule new task" / "Edit scheduled task" dialog: name, type, key, value, schedule
 * (daily, weekly with its weekdays, monthly with its day), hour and minute in UTC or the organization's zone. */

import { Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { tasksApi, WEEKDAYS, type Task, type TaskType, type Weekday } from "../../calls/tasks";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { bodyOf, EMPTY_FORM, formOf, type TaskForm } from "./form";
import type { KeyChoices } from "./useKeyChoices";

const t = strings.tasks;
const TYPES: TaskType[] = ["max_current", "user_activation", "user_group_activation"];

type Props = { task: Task | null; zone: string; keys: KeyChoices; onClose: () => void };

/** Opened for a new task (`task` null) or to edit one; closes itself after a save. */
export function TaskDialog({ task, zone, keys, onClose }: Props) {
  const [form, setForm] = useState<TaskForm>(() => (task ? formOf(task) : EMPTY_FORM));
  const set = <K extends keyof TaskForm>(key: K) => (value: TaskForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: () => (task ? tasksApi.update(task.task_id, { ...bodyOf(form), version: task.version }) : tasksApi.create(bodyOf(form))),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ["scheduled-tasks"] });
      onClose();
    },
  });
  const keyData = form.type ? keys[form.type] : [];
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ "aria-label": t.closeDialog }} title={task ? t.editTitle : t.addTitle} size="lg">
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t.subtitle}</Text>
          <TextInput label={t.name} value={form.name} onChange={(e) => set("name")(e.currentTarget.value)} required data-autofocus />
          <Select label={t.type} placeholder={t.select} data={TYPES.map((value) => ({ value, label: t.types[value] }))}
            value={form.type || null} onChange={(v) => setForm((f) => ({ ...f, type: (v ?? "") as TaskType | "", key: "" }))} required />
          <Select label={t.key} placeholder={t.select} data={keyData} value={form.key || null} onChange={(v) => set("key")(v ?? "")}
            searchable required disabled={!form.type} />
          {form.type === "max_current" ? (
            <TextInput label={t.maxCurrent} inputMode="decimal" value={form.amperes} onChange={(e) => set("amperes")(e.currentTarget.value)} required />
          ) : form.type ? (
            <Select label={form.type === "user_activation" ? t.userActive : t.groupActive} allowDeselect={false}
              data={[{ value: "true", label: t.activeValue }, { value: "false", label: t.inactiveValue }]}
              value={form.active} onChange={(v) => set("active")((v ?? "true") as "true" | "false")} />
          ) : null}
          <ScheduleFields form={form} set={set} zone={zone} />
          <Checkbox label={t.activeLabel} checked={form.taskActive} onChange={(e) => set("taskActive")(e.currentTarget.checked)} />
          <ErrorText error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t.cancel}</Button>
            <Button type="submit" loading={save.isPending}>{task ? t.save : t.create}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type Setter = <K extends keyof TaskForm>(key: K) => (value: TaskForm[K]) => void;

function ScheduleFields({ form, set, zone }: { form: TaskForm; set: Setter; zone: string }) {
  return (
    <>
      <Select label={t.schedule} allowDeselect={false} data={(["daily", "weekly", "monthly"] as const).map((value) => ({ value, label: t.kinds[value] }))}
        value={form.kind} onChange={(v) => set("kind")((v ?? "daily") as TaskForm["kind"])} />
      {form.kind === "weekly" && (
        <Checkbox.Group label={t.days} value={form.weekdays} onChange={(v) => set("weekdays")(v as Weekday[])}>
          <Group gap="md" mt={4}>
            {WEEKDAYS.map((day) => <Checkbox key={day} value={day} label={t.weekdays[day]} />)}
          </Group>
        </Checkbox.Group>
      )}
      {form.kind === "monthly" && (
        <TextInput label={t.dayOfMonthLabel} description={t.dayOfMonthHint} inputMode="numeric" value={form.dayOfMonth}
          onChange={(e) => set("dayOfMonth")(e.currentTarget.value)} />
      )}
      <SimpleGrid cols={2}>
        <TextInput label={t.hour} inputMode="numeric" value={form.hour} onChange={(e) => set("hour")(e.currentTarget.value)} />
        <TextInput label={t.minute} inputMode="numeric" value={form.minute} onChange={(e) => set("minute")(e.currentTarget.value)} />
      </SimpleGrid>
      <Select label={t.timeZone} allowDeselect={false} description={t.utcHint}
        data={[{ value: "UTC", label: t.utc }, { value: "organization", label: t.organizationZone(zone) }]}
        value={form.timeZone} onChange={(v) => set("timeZone")((v ?? "UTC") as TaskForm["timeZone"])} />
    </>
  );
}
