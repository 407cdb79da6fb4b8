/** The scheduled tasks with a tick each (activate or deactivate many), each one's schedule, next run in UTC and
 * local time, last outcome (a failure in red with its error and retry time) and its actions. */

import { Badge, Button, Checkbox, Group, Stack, Table, Text } from "@mantine/core";
import type { Task } from "../../calls/tasks";
import { strings } from "../../strings";
import { ScrollBox } from "../reports/ScrollBox";
import { localTime } from "../reports/time";
import { keyText, nextRunText, scheduleText, valueText, type KeyNames } from "./describe";

const t = strings.tasks;

export type RowAction = "edit" | "copy" | "delete" | "history";

type Props = {
  tasks: Task[];
  names: KeyNames;
  picked: string[];
  onPick: (ids: string[]) => void;
  onAction: (action: RowAction, task: Task) => void;
};

export function TaskTable({ tasks, names, picked, onPick, onAction }: Props) {
  const all = tasks.length > 0 && tasks.every((task) => picked.includes(task.task_id));
  const toggle = (id: string, on: boolean) => onPick(on ? [...picked, id] : picked.filter((p) => p !== id));
  return (
    <ScrollBox label={t.table} minWidth={1000}>
      <Table striped aria-label={t.table} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th><Checkbox aria-label={t.selectAll} checked={all} onChange={(e) => onPick(e.currentTarget.checked ? tasks.map((x) => x.task_id) : [])} /></Table.Th>
            {Object.values(t.columns).map((name) => <Table.Th key={name}>{name}</Table.Th>)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr key={task.task_id} data-testid={`task-${task.name}`}>
              <Table.Td>
                <Checkbox aria-label={t.selectOne(task.name)} checked={picked.includes(task.task_id)} onChange={(e) => toggle(task.task_id, e.currentTarget.checked)} />
              </Table.Td>
              <Table.Td>{task.name}</Table.Td>
              <Table.Td>{t.types[task.type] ?? task.type}</Table.Td>
              <Table.Td>{keyText(task, names)}</Table.Td>
              <Table.Td>{valueText(task)}</Table.Td>
              <Table.Td>{scheduleText(task.schedule, task.organization_time_zone)}</Table.Td>
              <Table.Td><NextRun task={task} /></Table.Td>
              <Table.Td><LastRun task={task} /></Table.Td>
              <Table.Td>{task.active ? t.yes : t.no}</Table.Td>
              <Table.Td>
                <Stack gap={4} role="group" aria-label={t.rowActions(task.name)}>
                  <Button size="compact-xs" variant="default" fullWidth onClick={() => onAction("edit", task)}>{t.edit}</Button>
                  <Button size="compact-xs" variant="default" fullWidth onClick={() => onAction("copy", task)}>{t.copy}</Button>
                  <Button size="compact-xs" variant="default" fullWidth onClick={() => onAction("history", task)}>{t.history}</Button>
                  <Button size="compact-xs" variant="default" fullWidth c="red.9" onClick={() => onAction("delete", task)}>{t.remove}</Button>
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollBox>
  );
}

function NextRun({ task }: { task: Task }) {
  const next = nextRunText(task);
  if (!next) return <Text size="sm" c="dark.6">{t.notScheduled}</Text>;
  return (
    <Stack gap={0}>
      <Text size="sm" data-testid="next-run-utc">{next.utc}</Text>
      {next.local && <Text size="sm" c="dark.6" data-testid="next-run-local">{next.local}</Text>}
    </Stack>
  );
}

function LastRun({ task }: { task: Task }) {
  const last = task.last_run;
  if (!last) return <Text size="sm" c="dark.6">{t.neverRun}</Text>;
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Badge color={task.failing ? "red.9" : "gray.7"} variant="filled">{t.outcomes[last.outcome] ?? last.outcome}</Badge>
        <Text size="xs" style={{ whiteSpace: "nowrap" }}>{localTime(last.at)}</Text>
      </Group>
      {last.detail && <Text size="xs" c={task.failing ? "red.9" : "dark.6"}>{last.detail}</Text>}
      {task.retry_at && <Text size="xs" c="red.9">{t.retryAt(localTime(task.retry_at))}</Text>}
    </Stack>
  );
}
