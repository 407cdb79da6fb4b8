/** Charging stations: the domain's stations, searchable, a page of 50 at a time. */

import { Anchor, Button, Group, Table, Text, TextInput } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api";
import { ErrorText } from "../components/ErrorText";
import { href, stationPath } from "../router";
import { strings } from "../strings";

const t = strings.stations;

export function Stations() {
  const [q, setQ] = useState("");
  const [cursors, setCursors] = useState<string[]>([]); // cursors of the pages after the first
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: ["stations", "list", q, cursor],
    queryFn: () => api.stations({ q: q.trim() || undefined, cursor, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const items = page.data?.items ?? [];
  return (
    <>
      <TextInput label={t.search} value={q} onChange={(e) => { setQ(e.currentTarget.value); setCursors([]); }} maw={320} mb="md" type="search" />
      <ErrorText error={page.error} />
      <Table striped highlightOnHover aria-label={t.heading}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t.identifier}</Table.Th><Table.Th>{t.name}</Table.Th><Table.Th>{t.group}</Table.Th>
            <Table.Th ta="right">{t.points}</Table.Th><Table.Th>{t.firmware}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((s) => (
            <Table.Tr key={s.station_id}>
              <Table.Td><Anchor href={href(stationPath(s.station_id))}>{s.station_id}</Anchor></Table.Td><Table.Td>{s.name}</Table.Td><Table.Td>{s.group_name ?? ""}</Table.Td>
              <Table.Td ta="right">{s.point_count}</Table.Td><Table.Td>{s.firmware_version ?? ""}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {page.isSuccess && items.length === 0 && <Text mt="sm">{t.none}</Text>}
      <Group mt="md">
        {cursors.length > 0 && <Button variant="default" onClick={() => setCursors([])}>{t.first}</Button>}
        {page.data?.cursor && <Button variant="default" onClick={() => setCursors([...cursors, page.data!.cursor!])}>{t.next}</Button>}
      </Group>
    </>
  );
}
