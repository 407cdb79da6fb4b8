/** My account: the operator's own name and e-mail address, and a password change. */

import { Alert, Button, Paper, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, type Account as AccountData } from "../api";
import { useAuth } from "../auth";
import { ErrorText } from "../components/ErrorText";
import { strings } from "../strings";

const t = strings.account;

export function Account() {
  const account = useQuery({ queryKey: ["account"], queryFn: api.account });
  if (account.error) return <ErrorText error={account.error} />;
  if (!account.data) return <Text>{strings.app.loading}</Text>;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Details account={account.data} />
      <PasswordChange />
    </SimpleGrid>
  );
}

function Details({ account }: { account: AccountData }) {
  const { operator } = useAuth();
  const queries = useQueryClient();
  const [form, setForm] = useState({ first_name: "", last_name: "", email: "" });
  useEffect(() => setForm({ first_name: account.first_name, last_name: account.last_name, email: account.email }), [account]);
  const save = useMutation({
    mutationFn: () => api.updateAccount({ ...form, version: account.version }),
    onSuccess: (saved) => queries.setQueryData(["account"], saved),
  });
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value }),
  });

  return (
    <Paper withBorder p="md">
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} noValidate>
        <Stack>
          <TextInput label={t.username} value={account.username} readOnly />
          <TextInput label={t.organization} value={operator?.organization ?? ""} readOnly />
          <TextInput label={t.role} value={t.roles[account.role] ?? account.role} readOnly />
          <TextInput label={t.firstName} {...field("first_name")} required autoComplete="given-name" />
          <TextInput label={t.lastName} {...field("last_name")} required autoComplete="family-name" />
          <TextInput label={t.email} type="email" {...field("email")} required autoComplete="email" />
          <ErrorText error={save.error} />
          {save.isSuccess && <Alert color="green" role="status"><Text size="sm" c="green.9">{t.saved}</Text></Alert>}
          <Button type="submit" loading={save.isPending}>{t.save}</Button>
        </Stack>
      </form>
    </Paper>
  );
}

function PasswordChange() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const change = useMutation({
    mutationFn: () => {
      if (next !== repeat) return Promise.reject(new ApiError(400, strings.setPassword.mismatch));
      return api.changePassword(current, next);
    },
    onSuccess: () => { setCurrent(""); setNext(""); setRepeat(""); },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate();
  }
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4">{t.passwordHeading}</Title>
          <PasswordInput label={t.currentPassword} value={current} onChange={(e) => setCurrent(e.currentTarget.value)} autoComplete="current-password" required />
          <PasswordInput label={t.newPassword} description={strings.setPassword.policy} value={next} onChange={(e) => setNext(e.currentTarget.value)} autoComplete="new-password" required />
          <PasswordInput label={t.repeatPassword} value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} autoComplete="new-password" required />
          <ErrorText error={change.error} />
          {change.isSuccess && <Alert color="green" role="status"><Text size="sm" c="green.9">{t.passwordChanged}</Text></Alert>}
          <Button type="submit" loading={change.isPending}>{t.changePassword}</Button>
        </Stack>
      </form>
    </Paper>
  );
}
