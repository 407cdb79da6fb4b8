/** The confirmation before deleting a task, and a task's run history (newest first, a page at a time). */

import { Badge, Button, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { tasksApi, type Task } from "../../calls/tasks";
import { strings } from "../../strings";
import { ScrollBox } from "../reports/ScrollBox";
import { ErrorText } from "../ErrorText";
import { localTime } from "../reports/time";

const t = strings.tasks;

export function DeleteTask({ task, onClose }: { task: Task; onClose: () => void }) {
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => tasksApi.remove(task.task_id),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ["scheduled-tasks"] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ "aria-label": t.closeDialog }} title={t.deleteTitle}>
      <Stack>
        <Text>{t.deleteQuestion(task.name)}</Text>
        <ErrorText error={remove.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>{t.cancel}</Button>
          <Button color="red.9" onClick={() => remove.mutate()} loading={remove.isPending}>{t.remove}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function RunHistory({ task, onClose }: { task: Task; onClose: () => void }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const runs = useQuery({
    queryKey: ["scheduled-tasks", task.task_id, "runs", cursor],
    queryFn: () => tasksApi.runs(task.task_id, cursor),
    placeholderData: keepPreviousData,
  });
  const items = runs.data?.items ?? [];
  const next = runs.data?.cursor;
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ "aria-label": t.closeDialog }} title={t.historyTitle(task.name)} size="xl">
      <Stack>
        <ErrorText error={runs.error} />
        <ScrollBox label={t.historyTitle(task.name)} minWidth={700}>
          <Table striped aria-label={t.historyTitle(task.name)}>
            <Table.Thead>
              <Table.Tr>{Object.values(t.runs).map((name) => <Table.Th key={name}>{name}</Table.Th>)}</Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((run) => (
                <Table.Tr key={run.run_id}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{localTime(run.occurrence)}</Table.Td>
                  <Table.Td>{run.attempt === 0 ? t.firstAttempt : t.retry(run.attempt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{localTime(run.started_at)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{run.finished_at ? localTime(run.finished_at) : ""}</Table.Td>
                  <Table.Td><Badge color={run.outcome === "Failed" ? "red.9" : "gray.7"} variant="filled">{t.outcomes[run.outcome] ?? run.outcome}</Badge></Table.Td>
                  <Table.Td>{run.detail ?? ""}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollBox>
        {runs.isSuccess && items.length === 0 && cursors.length === 0 && <Text>{t.noRuns}</Text>}
        <Group justify="flex-end">
          {cursors.length > 0 && <Button variant="default" onClick={() => setCursors([])}>{t.first}</Button>}
          {next && <Button variant="default" onClick={() => setCursors([...cursors, next])}>{t.next}</Button>}
          <Button onClick={onClose}>{t.close}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
