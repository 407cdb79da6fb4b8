/** Charging stations (V3): the domain's stations, searchable and filtered by group (admins: the orphans),
 * a page of 50 at a time, each with its edit and info buttons; admins add new ones in a dialog. */

import { Anchor, Button, Checkbox, Group, Table, Text, TextInput } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type StationRow } from "../api";
import { stationApi } from "../calls/station";
import { useAuth } from "../auth";
import { ErrorText } from "../components/ErrorText";
import { AddStation } from "../components/station/AddStation";
import { GroupSelect } from "../components/station/GroupSelect";
import { href, stationPath } from "../router";
import { strings } from "../strings";

const t = strings.stations;
const c = strings.station.list;

export function Stations() {
  const admin = useAuth().operator?.role === "admin";
  const [q, setQ] = useState("");
  const [groupId, setGroupId] = useState("");
  const [orphans, setOrphans] = useState(false);
  const [adding, setAdding] = useState(false);
  const [cursors, setCursors] = useState<string[]>([]); // cursors of the pages after the first
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: ["stations", "list", q, groupId, orphans, cursor],
    queryFn: () => stationApi.list({ q: q.trim() || undefined, group_id: orphans ? undefined : groupId || undefined, orphans: orphans ? "true" : undefined, cursor, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const items = page.data?.items ?? [];
  const filtered = <T,>(set: (v: T) => void) => (v: T) => { set(v); setCursors([]); };
  return (
    <>
      <Group align="flex-end" mb="md" justify="space-between">
        <Group align="flex-end">
          <TextInput label={t.search} value={q} onChange={(e) => filtered(setQ)(e.currentTarget.value)} w={260} type="search" />
          {!orphans && <GroupSelect label={c.groupFilter} value={groupId} empty={c.allGroups} onChange={filtered(setGroupId)} />}
          {admin && <Checkbox label={c.orphans} checked={orphans} onChange={(e) => filtered(setOrphans)(e.currentTarget.checked)} mb={8} />}
        </Group>
        {admin && <Button onClick={() => setAdding(true)}>{c.add}</Button>}
      </Group>
      <ErrorText error={page.error} />
      <Table striped highlightOnHover aria-label={t.heading}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{c.name}</Table.Th><Table.Th>{c.identifier}</Table.Th><Table.Th>{c.group}</Table.Th>
            <Table.Th ta="right">{c.points}</Table.Th><Table.Th>{c.firmware}</Table.Th><Table.Th>{c.actions}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{items.map((s) => <Row key={s.station_id} station={s} />)}</Table.Tbody>
      </Table>
      {page.isSuccess && items.length === 0 && <Text mt="sm">{t.none}</Text>}
      <Group mt="md">
        {cursors.length > 0 && <Button variant="default" onClick={() => setCursors([])}>{t.first}</Button>}
        {page.data?.cursor && <Button variant="default" onClick={() => setCursors([...cursors, page.data!.cursor!])}>{t.next}</Button>}
      </Group>
      {admin && <AddStation opened={adding} onClose={() => setAdding(false)}
        onAdded={(s) => { setAdding(false); setOrphans(false); setGroupId(""); filtered(setQ)(s.station_id); }} />}
    </>
  );
}

function Row({ station: s }: { station: StationRow }) {
  return (
    <Table.Tr>
      <Table.Td><Anchor href={href(stationPath(s.station_id))}>{s.name}</Anchor></Table.Td>
      <Table.Td>{s.station_id}</Table.Td>
      <Table.Td>{s.group_name ?? ""}</Table.Td>
      <Table.Td ta="right">{s.point_count}</Table.Td>
      <Table.Td>{s.firmware_version ?? ""}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Anchor href={href(stationPath(s.station_id, "basic"))} aria-label={c.edit(s.name)} size="sm" fw={700}>{c.editButton}</Anchor>
          <Anchor href={href(stationPath(s.station_id, "commands"))} aria-label={c.info(s.name)} size="sm" fw={700}>{c.infoButton}</Anchor>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
