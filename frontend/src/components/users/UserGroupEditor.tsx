/** The charging user group dialog: name, activation and members (a user is in one group at most); admins add,
 * edit and delete (an empty group only), basic operators see it read-only, as the manual's rights say. */

import { Button, Fieldset, Group, List, MultiSelect, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useAuth } from "../../auth";
import { userGroupsApi, type Member, type UserGroup } from "../../calls/userGroups";
import { usersApi } from "../../calls/users";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { Confirm } from "./Confirm";
import { Dialog, SaveBar } from "./parts";

const t = strings.userGroups;

/** `groupId` null: a new group. */
export function UserGroupEditor({ groupId, onClose }: { groupId: string | null; onClose: () => void }) {
  const admin = useAuth().operator?.role === "admin";
  const group = useQuery({ queryKey: ["userGroups", "one", groupId], queryFn: () => userGroupsApi.get(groupId!), enabled: groupId !== null, gcTime: 0 });
  const title = groupId === null ? t.addHeading : admin ? t.editHeading : t.viewHeading;
  return (
    <Dialog title={title} closeLabel={t.closeDialog} size="lg" onClose={onClose}>
      <ErrorText error={group.error} />
      {groupId !== null && group.isPending && <Text>{strings.app.loading}</Text>}
      {groupId !== null && group.data && !admin && <GroupView group={group.data} onClose={onClose} />}
      {(groupId === null || (group.data && admin)) && <GroupForm group={group.data ?? null} onClose={onClose} />}
    </Dialog>
  );
}

const memberLabel = (m: Member) => t.member(m.first_name, m.last_name, m.email);

function GroupView({ group, onClose }: { group: UserGroup; onClose: () => void }) {
  return (
    <Stack>
      <TextInput label={t.groupName} value={group.name} readOnly variant="filled" />
      <TextInput label={t.groupStatus} value={group.active ? t.active : t.inactive} readOnly variant="filled" />
      <Title order={3} size="h5">{t.groupMembers}</Title>
      {group.members.length === 0 ? <Text>{t.noMembers}</Text> : (
        <List>{group.members.map((m) => <List.Item key={m.user_id}>{memberLabel(m)}</List.Item>)}</List>
      )}
      <Group><Button variant="default" onClick={onClose}>{t.close}</Button></Group>
    </Stack>
  );
}

function GroupForm({ group, onClose }: { group: UserGroup | null; onClose: () => void }) {
  const queries = useQueryClient();
  const [name, setName] = useState(group?.name ?? "");
  const [active, setActive] = useState(group?.active ?? true);
  const [memberIds, setMemberIds] = useState<string[]>(group?.members.map((m) => m.user_id) ?? []);
  const users = useQuery({ queryKey: ["users", "all"], queryFn: usersApi.all });
  const refresh = () => Promise.all([queries.invalidateQueries({ queryKey: ["userGroups"] }), queries.invalidateQueries({ queryKey: ["users"] })]);
  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), member_ids: memberIds, active };
      return group ? userGroupsApi.edit(group.user_group_id, { ...body, version: group.version }) : userGroupsApi.create(body);
    },
    onSuccess: () => { refresh(); onClose(); },
  });
  const remove = useMutation({ mutationFn: () => userGroupsApi.remove(group!.user_group_id), onSuccess: () => { refresh(); onClose(); } });
  const options = new Map((group?.members ?? []).map((m) => [m.user_id, memberLabel(m)]));
  for (const u of users.data ?? []) options.set(u.user_id, memberLabel(u));

  return (
    <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} noValidate>
      <Stack>
        <Fieldset legend={t.groupInformation}>
          <Stack gap="sm">
            <TextInput label={t.groupName} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={100} />
            <Select label={t.groupStatus} description={t.statusHint} allowDeselect={false} value={active ? "active" : "inactive"}
              data={[{ value: "active", label: t.active }, { value: "inactive", label: t.inactive }]}
              onChange={(value) => setActive(value === "active")} />
          </Stack>
        </Fieldset>
        <Fieldset legend={t.groupMembers}>
          <MultiSelect label={t.selectMembers} searchable clearable clearButtonProps={{ "aria-label": t.clear(t.selectMembers) }} value={memberIds} onChange={setMemberIds}
            data={[...options].map(([value, label]) => ({ value, label }))} />
          <ErrorText error={users.error} />
        </Fieldset>
        <ErrorText error={save.error} />
        <SaveBar cancel={t.cancel} save={group ? t.save : t.saveNew} saving={save.isPending} onCancel={onClose}>
          {group && (
            <Confirm label={t.deleteGroup} question={t.confirmDelete(group.name)} yes={t.yes} no={t.no}
              pending={remove.isPending} onConfirm={() => remove.mutate()} />
          )}
        </SaveBar>
        {group && <Text size="sm" c="dark.6">{t.deleteHint}</Text>}
        <ErrorText error={remove.error} />
      </Stack>
    </form>
  );
}
