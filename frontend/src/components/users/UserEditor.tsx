/** The charging user dialog: add new (with tokens) or edit (e-mail and token ids fixed), as the manual's
 * "Add new charging user" and "Edit charging user" views; admins also (de)activate and delete. */

import { Button, Fieldset, Group, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useAuth } from "../../auth";
import { userGroupsApi } from "../../calls/userGroups";
import { usersApi, type ChargingUser } from "../../calls/users";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { AccessRights } from "./AccessRights";
import { Confirm } from "./Confirm";
import { Dialog, SaveBar } from "./parts";
import { TokenCard } from "./TokenCard";
import { fieldsOf, fromToken, newDraft, saveTokens, type TokenDraft } from "./tokenDraft";

const t = strings.users;

/** `userId` null: a new user. */
export function UserEditor({ userId, onClose }: { userId: string | null; onClose: () => void }) {
  const user = useQuery({ queryKey: ["users", "one", userId], queryFn: () => usersApi.get(userId!), enabled: userId !== null, gcTime: 0 });
  const title = userId ? t.editHeading : t.addHeading;
  return (
    <Dialog title={title} closeLabel={t.closeDialog} size="xl" onClose={onClose}>
      {userId === null && <UserForm user={null} onClose={onClose} />}
      <ErrorText error={user.error} />
      {user.data && <UserForm user={user.data} onClose={onClose} />}
      {userId !== null && user.isPending && <Text>{strings.app.loading}</Text>}
    </Dialog>
  );
}

type Form = {
  first_name: string;
  last_name: string;
  email: string;
  user_group_id: string | null;
  access_group_ids: string[];
  access_station_ids: string[];
  active: boolean;
};

function formOf(user: ChargingUser | null): Form {
  if (!user) return { first_name: "", last_name: "", email: "", user_group_id: null, access_group_ids: [], access_station_ids: [], active: true };
  const { first_name, last_name, email, user_group_id, access_group_ids, access_station_ids, active } = user;
  return { first_name, last_name, email, user_group_id, access_group_ids, access_station_ids, active };
}

function UserForm({ user, onClose }: { user: ChargingUser | null; onClose: () => void }) {
  const admin = useAuth().operator?.role === "admin";
  const queries = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(user));
  const [tokens, setTokens] = useState<TokenDraft[]>(() => (user?.tokens ?? []).map(fromToken));
  const [version, setVersion] = useState(user?.version ?? 0);
  const userGroups = useQuery({ queryKey: ["userGroups", "all"], queryFn: userGroupsApi.all });
  const refresh = () => queries.invalidateQueries({ queryKey: ["users"] });
  // Adding or deleting a token moves the user's version, which the token's answer does not carry: read it
  // again, or the next save would be refused as a concurrent edit.
  const syncVersion = () => (user ? usersApi.get(user.user_id).then((u) => setVersion(u.version), () => undefined) : Promise.resolve());
  const replaceToken = (key: string, next: TokenDraft | null) =>
    setTokens((all) => (next ? all.map((d) => (d.key === key ? next : d)) : all.filter((d) => d.key !== key)));

  const save = useMutation({
    mutationFn: async () => {
      const fields = { first_name: form.first_name, last_name: form.last_name, user_group_id: form.user_group_id,
        access_group_ids: form.access_group_ids, access_station_ids: form.access_station_ids };
      if (!user) {
        return usersApi.create({ ...fields, email: form.email.trim(), tokens: tokens.map((d) => ({ token_id: d.token_id.trim(), ...fieldsOf(d) })) });
      }
      const saved = await usersApi.edit(user.user_id, { ...fields, version, ...(admin ? { active: form.active } : {}) });
      setVersion(saved.version);
      let added = false;
      try {
        await saveTokens(user.user_id, tokens, (key, next, isNew) => { replaceToken(key, next); added ||= isNew; });
      } finally {
        if (added) await syncVersion();
      }
      return saved;
    },
    onSuccess: onClose,
    onSettled: refresh,
  });
  const removeToken = useMutation({
    mutationFn: (draft: TokenDraft) => (draft.saved && user ? usersApi.removeToken(user.user_id, draft.token_id) : Promise.resolve(null)),
    onSuccess: (_answer, draft) => { replaceToken(draft.key, null); refresh(); if (draft.saved) syncVersion(); },
  });
  const remove = useMutation({ mutationFn: () => usersApi.remove(user!.user_id), onSuccess: () => { refresh(); onClose(); } });

  const text = (key: "first_name" | "last_name" | "email") => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  const groupOptions = (userGroups.data ?? []).map((g) => ({ value: g.user_group_id, label: g.name }));

  return (
    <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} noValidate>
      <Stack>
        <Fieldset legend={t.userInformation}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t.firstName} {...text("first_name")} required maxLength={100} />
            <TextInput label={t.lastName} {...text("last_name")} required maxLength={100} />
            <TextInput label={t.emailAddress} type="email" {...text("email")} readOnly={user !== null} variant={user ? "filled" : "default"} required maxLength={254} />
            <Select label={t.userGroup} placeholder={t.selectUserGroup} data={groupOptions} value={form.user_group_id}
              onChange={(value) => setForm({ ...form, user_group_id: value })} clearable searchable
              clearButtonProps={{ "aria-label": t.clear(t.userGroup) }} />
            {user && admin && (
              <Select label={t.userStatus} allowDeselect={false} value={form.active ? "active" : "inactive"}
                data={[{ value: "active", label: t.active }, { value: "inactive", label: t.inactive }]}
                onChange={(value) => setForm({ ...form, active: value === "active" })} />
            )}
            {user && !admin && <TextInput label={t.userStatus} value={form.active ? t.active : t.inactive} readOnly variant="filled" />}
          </SimpleGrid>
          <ErrorText error={userGroups.error} />
        </Fieldset>
        <AccessRights groupIds={form.access_group_ids} stationIds={form.access_station_ids}
          onGroups={(ids) => setForm({ ...form, access_group_ids: ids })} onStations={(ids) => setForm({ ...form, access_station_ids: ids })} />
        <Fieldset legend={t.tokensHeading(tokens.length)}>
          <Stack>
            {tokens.map((draft, i) => (
              <TokenCard key={draft.key} n={i + 1} draft={draft} canDelete={admin}
                deleting={removeToken.isPending && removeToken.variables?.key === draft.key}
                onChange={(next) => replaceToken(draft.key, next)} onDelete={() => removeToken.mutate(draft)} />
            ))}
            <ErrorText error={removeToken.error} />
            <Group><Button variant="default" onClick={() => setTokens([...tokens, newDraft()])}>{t.addToken}</Button></Group>
          </Stack>
        </Fieldset>
        <ErrorText error={save.error} />
        <SaveBar cancel={t.cancel} save={user ? t.save : t.saveNew} saving={save.isPending} onCancel={onClose}>
          {user && admin && (
            <Confirm label={t.deleteUser} question={t.confirmDeleteUser(`${user.first_name} ${user.last_name}`)} yes={t.yes} no={t.no}
              pending={remove.isPending} onConfirm={() => remove.mutate()} />
          )}
        </SaveBar>
        <ErrorText error={remove.error} />
      </Stack>
    </form>
  );
}
