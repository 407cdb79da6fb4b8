/** The charging group list: the domain's tree, indented by depth, searchable, with each group's
 * statistics and edit buttons. */

import { Anchor, Button, Group, Table, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { groupsApi, type CountedGroup } from "../../calls/groups";
import { href } from "../../router";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { groupPath } from "./paths";

const t = strings.groups;

export function GroupList() {
  const [q, setQ] = useState("");
  const tree = useQuery({ queryKey: ["groups", "tree", "counted"], queryFn: groupsApi.countedTree });
  const needle = q.trim().toLowerCase();
  const items = (tree.data?.items ?? []).filter((g) => !needle || g.name.toLowerCase().includes(needle));
  return (
    <>
      <Group justify="space-between" align="flex-end" mb="md">
        <TextInput label={t.search} value={q} onChange={(e) => setQ(e.currentTarget.value)} type="search" maw={320} />
        <AddButton />
      </Group>
      <ErrorText error={tree.error} />
      {!tree.data && !tree.error && <Text>{strings.app.loading}</Text>}
      {tree.data && <Rows items={items} />}
      {tree.isSuccess && items.length === 0 && <Text mt="sm">{t.none}</Text>}
      <Group justify="flex-end" mt="md"><AddButton /></Group>
    </>
  );
}

function AddButton() {
  return <Button component="a" href={href(groupPath({ add: "1" }))}>{t.add}</Button>;
}

function Rows({ items }: { items: CountedGroup[] }) {
  return (
    <Table striped highlightOnHover aria-label={t.treeLabel}>
      <Table.Thead>
        <Table.Tr><Table.Th>{t.name}</Table.Th><Table.Th ta="right">{t.stations}</Table.Th><Table.Th ta="right">{t.actions}</Table.Th></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((g) => (
          <Table.Tr key={g.group_id} data-testid={`group-${g.group_id}`}>
            <Table.Td style={{ paddingLeft: `calc(${g.depth * 1.5}rem + var(--table-horizontal-spacing, 0.75rem))` }}>
              {g.depth > 0 && <span aria-hidden="true">└ </span>}
              <Anchor href={href(groupPath({ id: g.group_id }))}>{g.name}</Anchor>
            </Table.Td>
            <Table.Td ta="right" data-testid={`stations-${g.group_id}`}>{g.station_count ?? ""}</Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                <Button size="compact-sm" variant="default" component="a" href={href(groupPath({ id: g.group_id }))} aria-label={t.info(g.name)} title={t.info(g.name)}>
                  <span aria-hidden="true">ⓘ</span>
                </Button>
                <Button size="compact-sm" variant="default" component="a" href={href(groupPath({ id: g.group_id, edit: "1" }))} aria-label={t.edit(g.name)} title={t.edit(g.name)}>
                  <span aria-hidden="true">✎</span>
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
