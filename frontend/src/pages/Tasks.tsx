/** Schedule tasks (admins only; the API answers "Access denied." to others): the list with filters by type and
 * name, activate or deactivate many, copy as a template, add and edit in a dialog, delete, a task's run history. */

import { Alert, Button, Group, Select, Stack, Text, TextInput } from "@mantine/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../api";
import { useAuth } from "../auth";
import { tasksApi, type Task, type TaskType } from "../calls/tasks";
import { ErrorText } from "../components/ErrorText";
import { TaskDialog } from "../components/tasks/TaskDialog";
import { DeleteTask, RunHistory } from "../components/tasks/TaskModals";
import { TaskTable, type RowAction } from "../components/tasks/TaskTable";
import { useKeyChoices } from "../components/tasks/useKeyChoices";
import { strings } from "../strings";

const t = strings.tasks;
const PAGE = 50;
const REFRESH_MS = 30_000; // next runs and outcomes move with the minute tick

type Open = { kind: "add" } | { kind: Exclude<RowAction, "copy">; task: Task } | null;

export function Tasks(_props: { params: URLSearchParams }) {
  const { operator } = useAuth();
  const [type, setType] = useState<TaskType | "">("");
  const [name, setName] = useState("");
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const [picked, setPicked] = useState<string[]>([]);
  const [open, setOpen] = useState<Open>(null);
  const queries = useQueryClient();
  const list = useQuery({
    queryKey: ["scheduled-tasks", "list", type, name, cursor],
    queryFn: () => tasksApi.list({ type: type || undefined, name: name.trim() || undefined, cursor, limit: PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
  const admin = operator?.role === "admin";
  const choices = useKeyChoices(admin);
  const organization = useQuery({ queryKey: ["organization"], queryFn: tasksApi.organization, enabled: admin });
  const activation = useMutation({
    mutationFn: (active: boolean) => tasksApi.activate(picked, active),
    onSuccess: async () => {
      setPicked([]);
      await queries.invalidateQueries({ queryKey: ["scheduled-tasks"] });
    },
  });
  const copy = useMutation({
    mutationFn: (task: Task) => tasksApi.copy(task.task_id),
    onSuccess: async (copied) => {
      await queries.invalidateQueries({ queryKey: ["scheduled-tasks"] });
      setOpen({ kind: "edit", task: copied }); // the manual's way: copy, change what differs, SAVE CHANGES
    },
  });

  if (list.error instanceof ApiError && list.error.status === 403) return <ErrorText error={list.error} />;
  const tasks = list.data?.items ?? [];
  const zone = organization.data?.timezone ?? tasks[0]?.organization_time_zone ?? "UTC";
  const filter = (apply: () => void) => { apply(); setCursors([]); setPicked([]); };
  const act = (action: RowAction, task: Task) => (action === "copy" ? copy.mutate(task) : setOpen({ kind: action, task }));

  return (
    <Stack>
      <Text size="sm">{t.intro}</Text>
      <Alert color="gray" variant="light" role="note"><Text size="sm">{t.warning}</Text></Alert>
      <Group align="end" justify="space-between">
        <Group align="end">
          <Select label={t.filterType} data={[{ value: "", label: t.allTypes }, ...Object.entries(t.types).map(([value, label]) => ({ value, label }))]}
            value={type} onChange={(v) => filter(() => setType((v ?? "") as TaskType | ""))} allowDeselect={false} w={280} />
          <TextInput label={t.filterName} type="search" value={name} onChange={(e) => { const v = e.currentTarget.value; filter(() => setName(v)); }} w={240} />
        </Group>
        {admin && <Button onClick={() => setOpen({ kind: "add" })}>{t.add}</Button>}
      </Group>
      <Group>
        <Button variant="default" disabled={picked.length === 0} onClick={() => activation.mutate(true)} loading={activation.isPending && activation.variables}>{t.activate}</Button>
        <Button variant="default" disabled={picked.length === 0} onClick={() => activation.mutate(false)} loading={activation.isPending && !activation.variables}>{t.deactivate}</Button>
        <Text size="sm" aria-live="polite">{picked.length > 0 ? t.selected(picked.length) : ""}</Text>
      </Group>
      <ErrorText error={list.error ?? activation.error ?? copy.error ?? choices.error} />
      <TaskTable tasks={tasks} names={choices.names} picked={picked} onPick={setPicked} onAction={act} />
      {list.isSuccess && tasks.length === 0 && <Text>{t.none}</Text>}
      <Group>
        {cursors.length > 0 && <Button variant="default" onClick={() => { setCursors([]); setPicked([]); }}>{t.first}</Button>}
        {list.data?.cursor && <Button variant="default" onClick={() => { setCursors([...cursors, list.data!.cursor!]); setPicked([]); }}>{t.next}</Button>}
      </Group>
      {open?.kind === "add" && <TaskDialog task={null} zone={zone} keys={choices.keys} onClose={() => setOpen(null)} />}
      {open?.kind === "edit" && <TaskDialog key={open.task.task_id} task={open.task} zone={zone} keys={choices.keys} onClose={() => setOpen(null)} />}
      {open?.kind === "delete" && <DeleteTask task={open.task} onClose={() => setOpen(null)} />}
      {open?.kind === "history" && <RunHistory task={open.task} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
