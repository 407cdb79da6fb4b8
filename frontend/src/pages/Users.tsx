/** Charging users: browse and search (by text and charging user group), add, and edit in a dialog. */

import { Button, Group, Select, Table, TextInput } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { userGroupsApi } from "../calls/userGroups";
import { usersApi } from "../calls/users";
import { ErrorText } from "../components/ErrorText";
import { UserEditor } from "../components/users/UserEditor";
import { RowButton } from "../components/users/parts";
import { Pager, usePages } from "../components/users/Pager";
import { strings } from "../strings";

const t = strings.users;

export function Users(_props: { params: URLSearchParams }) {
  const [q, setQ] = useState("");
  const [userGroup, setUserGroup] = useState<string | null>(null);
  const pages = usePages();
  const [editing, setEditing] = useState<string | null | undefined>(undefined); // null: a new user
  const { cursor } = pages;
  const page = useQuery({
    queryKey: ["users", "list", q, userGroup, cursor],
    queryFn: () => usersApi.list({ q: q.trim() || undefined, user_group_id: userGroup ?? undefined, cursor, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const userGroups = useQuery({ queryKey: ["userGroups", "all"], queryFn: userGroupsApi.all });
  const items = page.data?.items ?? [];
  return (
    <>
      <Group align="flex-end" mb="md">
        <TextInput label={t.search} type="search" value={q} maw={320} onChange={(e) => { setQ(e.currentTarget.value); pages.reset(); }} />
        <Select label={t.userGroupFilter} placeholder={t.allUserGroups} clearable clearButtonProps={{ "aria-label": t.clear(t.userGroupFilter) }} value={userGroup}
          data={(userGroups.data ?? []).map((g) => ({ value: g.user_group_id, label: g.name }))}
          onChange={(value) => { setUserGroup(value); pages.reset(); }} />
        <Button ml="auto" onClick={() => setEditing(null)}>{t.add}</Button>
      </Group>
      <ErrorText error={page.error ?? userGroups.error} />
      <Table striped highlightOnHover aria-label={t.table}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t.name}</Table.Th><Table.Th>{t.group}</Table.Th><Table.Th>{t.email}</Table.Th>
            <Table.Th>{t.status}</Table.Th><Table.Th ta="right">{t.tokensQty}</Table.Th><Table.Th>{t.actions}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((u) => (
            <Table.Tr key={u.user_id}>
              <Table.Td>{`${u.first_name} ${u.last_name}`}</Table.Td><Table.Td>{u.user_group_name ?? ""}</Table.Td>
              <Table.Td>{u.email}</Table.Td><Table.Td>{u.active ? t.active : t.inactive}</Table.Td>
              <Table.Td ta="right">{u.token_count}</Table.Td>
              <Table.Td>
                <RowButton label={t.edit} row={`${u.first_name} ${u.last_name}`} onClick={() => setEditing(u.user_id)} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Pager pages={pages} answer={page.isSuccess ? page.data : undefined} labels={t} />
      {editing !== undefined && <UserEditor userId={editing} onClose={() => setEditing(undefined)} />}
    </>
  );
}
