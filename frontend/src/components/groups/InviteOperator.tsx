/** Invite new operator: e-mail twice, username, names, permission level and base group; the API sends
 * the invitation e-mail and the new operator shows in the list as Invited. */

import { Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api";
import { useAuth } from "../../auth";
import { operatorsApi, type Invitation } from "../../calls/operators";
import { navigate } from "../../router";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { Crumbs } from "./Crumbs";
import { FormButtons } from "./GroupFields";
import { operatorPath } from "./OperatorList";
import { PersonFields } from "./OperatorFields";

const t = strings.operators;

export function InviteOperator() {
  const { operator } = useAuth();
  const tree = useQuery({ queryKey: ["groups", "tree"], queryFn: api.groupTree });
  const [form, setForm] = useState<Invitation>({
    email: "", email_confirmation: "", username: "", first_name: "", last_name: "", role: "basic",
    base_group_id: operator?.base_group_id ?? "",
  });
  const queries = useQueryClient();
  const invite = useMutation({
    mutationFn: () => operatorsApi.invite({ ...form, email: form.email.trim(), email_confirmation: form.email_confirmation.trim(), username: form.username.trim() }),
    onSuccess: async () => { await queries.invalidateQueries({ queryKey: ["operators"] }); navigate(operatorPath()); },
  });
  const field = (key: "email" | "email_confirmation" | "username") => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  if (tree.error) return <ErrorText error={tree.error} />;
  if (!tree.data) return <Text>{strings.app.loading}</Text>;
  return (
    <Paper withBorder p="md" maw={720}>
      <form onSubmit={(e) => { e.preventDefault(); invite.mutate(); }} noValidate>
        <Stack>
          <Crumbs steps={[[t.heading, operatorPath()], [t.inviteHeading]]} />
          <Title order={2} size="h3">{t.inviteHeading}</Title>
          <TextInput label={t.fieldEmail} type="email" required autoComplete="off" {...field("email")} />
          <TextInput label={t.fieldConfirmEmail} type="email" required autoComplete="off" {...field("email_confirmation")} />
          <TextInput label={t.fieldUsername} required autoComplete="off" {...field("username")} />
          <PersonFields value={form} onChange={setForm} groups={tree.data.items} />
          <ErrorText error={invite.error} />
          <FormButtons pending={invite.isPending} back={operatorPath()} submit={t.sendInvitation} />
        </Stack>
      </form>
    </Paper>
  );
}
