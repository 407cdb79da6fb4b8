/** Edit operator: e-mail, status (Active / Inactive), names, permission level, base group; a password
 * reset e-mail, a reminder before activation, and deleting the operator after a confirmation. */

import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient, type UseMutationResult } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Group as GroupData } from "../../api";
import { operatorsApi, type OperatorEdit, type OperatorRow } from "../../calls/operators";
import { navigate } from "../../router";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { Crumbs } from "./Crumbs";
import { Confirm } from "./Confirm";
import { FormButtons } from "./GroupFields";
import { operatorPath } from "./OperatorList";
import { PersonFields } from "./OperatorFields";

const t = strings.operators;

export function EditOperator({ username }: { username: string }) {
  const found = useQuery({ queryKey: ["operators", "one", username], queryFn: () => operatorsApi.get(username) });
  const tree = useQuery({ queryKey: ["groups", "tree"], queryFn: api.groupTree });
  const error = found.error ?? tree.error;
  if (error) return <ErrorText error={error} />;
  if (!found.data || !tree.data) return <Text>{strings.app.loading}</Text>;
  return <Editor operator={found.data} groups={tree.data.items} />;
}

function Editor({ operator, groups }: { operator: OperatorRow; groups: GroupData[] }) {
  const { username, email, first_name, last_name, role, status, base_group_id, version } = operator;
  const [form, setForm] = useState<OperatorEdit>({ email, first_name, last_name, role, status, base_group_id, version });
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: () => operatorsApi.update(username, { ...form, email: form.email.trim(), version: operator.version }),
    onSuccess: async () => { await queries.invalidateQueries({ queryKey: ["operators"] }); navigate(operatorPath()); },
  });
  return (
    <Paper withBorder p="md" maw={720}>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} noValidate>
        <Stack>
          <Crumbs steps={[[t.heading, operatorPath()], [username], [t.editHeading]]} />
          <Title order={2} size="h3">{t.editHeading}</Title>
          <Title order={3} size="h4">{t.general}</Title>
          <TextInput label={t.fieldUsername} value={username} readOnly />
          <TextInput label={t.fieldEmail} type="email" value={form.email} required autoComplete="off"
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} />
          <NativeSelect label={t.fieldStatus} description={t.inactiveHint} value={form.status}
            data={[{ value: "Active", label: t.active }, { value: "Inactive", label: t.inactive }]}
            onChange={(e) => setForm({ ...form, status: e.currentTarget.value as OperatorEdit["status"] })} />
          <Mails operator={operator} />
          <PersonFields value={form} onChange={setForm} groups={groups} />
          <ErrorText error={save.error} />
          <FormButtons pending={save.isPending} back={operatorPath()} />
        </Stack>
      </form>
      <DeleteOperator username={username} />
    </Paper>
  );
}

/** The password reset (to the e-mail address this view showed) and, before activation, the reminder. */
function Mails({ operator }: { operator: OperatorRow }) {
  const reset = useMutation({ mutationFn: () => operatorsApi.resetPassword(operator.username, operator.email) });
  const remind = useMutation({ mutationFn: () => operatorsApi.remind(operator.username) });
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>{t.fieldPassword}</Text>
      <Group>
        <Button variant="default" onClick={() => reset.mutate()} loading={reset.isPending}>{t.resetPassword}</Button>
        {!operator.activated && <Button variant="default" onClick={() => remind.mutate()} loading={remind.isPending}>{t.reminder}</Button>}
      </Group>
      <Text size="xs" c="dark.6">{operator.activated ? t.resetHint : t.reminderHint}</Text>
      <Outcome mutation={reset} />
      <Outcome mutation={remind} />
    </Stack>
  );
}

function Outcome({ mutation }: { mutation: UseMutationResult<{ message: string }, Error, void> }) {
  if (mutation.error) return <ErrorText error={mutation.error} />;
  if (!mutation.data) return null;
  // Dark text: it stays readable (WCAG AA) under the delete dialog's overlay too.
  return <Alert color="green" role="status"><Text size="sm" c="dark.9">{mutation.data.message}</Text></Alert>;
}

function DeleteOperator({ username }: { username: string }) {
  const [asking, setAsking] = useState(false);
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => operatorsApi.remove(username),
    onSuccess: async () => {
      queries.removeQueries({ queryKey: ["operators", "one", username] });
      await queries.invalidateQueries({ queryKey: ["operators"] });
      navigate(operatorPath());
    },
  });
  return (
    <Stack gap="xs" component="section" aria-labelledby="delete-operator" mt="lg">
      <Title order={3} size="h4" id="delete-operator">{t.deleteHeading}</Title>
      <Button color="red.8" w="fit-content" onClick={() => { remove.reset(); setAsking(true); }}>{t.deleteButton}</Button>
      <Confirm opened={asking} question={t.confirmDelete(username)} confirm={t.yes} onConfirm={() => remove.mutate()}
        onClose={() => setAsking(false)} pending={remove.isPending} error={remove.error} />
    </Stack>
  );
}
