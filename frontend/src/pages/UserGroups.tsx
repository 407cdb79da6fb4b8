/** Charging user groups: browse and search, add, edit (name, members, activation) and delete; basic operators
 * only look (the API refuses them the changes, so they get no buttons for them). */

import { Button, Group, Table, TextInput } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useAuth } from "../auth";
import { userGroupsApi } from "../calls/userGroups";
import { ErrorText } from "../components/ErrorText";
import { UserGroupEditor } from "../components/users/UserGroupEditor";
import { RowButton } from "../components/users/parts";
import { Pager, usePages } from "../components/users/Pager";
import { strings } from "../strings";

const t = strings.userGroups;

export function UserGroups(_props: { params: URLSearchParams }) {
  const admin = useAuth().operator?.role === "admin";
  const [q, setQ] = useState("");
  const pages = usePages();
  const [editing, setEditing] = useState<string | null | undefined>(undefined); // null: a new group
  const { cursor } = pages;
  const page = useQuery({
    queryKey: ["userGroups", "list", q, cursor],
    queryFn: () => userGroupsApi.list({ q: q.trim() || undefined, cursor, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const items = page.data?.items ?? [];
  return (
    <>
      <Group align="flex-end" mb="md">
        <TextInput label={t.search} type="search" value={q} maw={320} onChange={(e) => { setQ(e.currentTarget.value); pages.reset(); }} />
        {admin && <Button ml="auto" onClick={() => setEditing(null)}>{t.add}</Button>}
      </Group>
      <ErrorText error={page.error} />
      <Table striped highlightOnHover aria-label={t.table}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t.name}</Table.Th><Table.Th ta="right">{t.members}</Table.Th><Table.Th>{t.status}</Table.Th><Table.Th>{t.actions}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((g) => (
            <Table.Tr key={g.user_group_id}>
              <Table.Td>{g.name}</Table.Td><Table.Td ta="right">{g.member_count}</Table.Td>
              <Table.Td>{g.active ? t.active : t.inactive}</Table.Td>
              <Table.Td>
                <RowButton label={admin ? t.edit : t.view} row={g.name} onClick={() => setEditing(g.user_group_id)} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Pager pages={pages} answer={page.isSuccess ? page.data : undefined} labels={t} />
      {editing !== undefined && <UserGroupEditor groupId={editing} onClose={() => setEditing(undefined)} />}
    </>
  );
}
