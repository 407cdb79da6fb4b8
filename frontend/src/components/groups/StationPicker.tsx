/** "ADD CHARGING STATION TO THIS GROUP": search the domain's stations and pick one (admins only). */

import { Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api";
import { groupsApi } from "../../calls/groups";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";

const t = strings.groups;
const SHOWN = 10;

type Props = { exclude: Set<string>; onPick: (stationId: string) => void; pending?: boolean };

export function StationPicker({ exclude, onPick, pending }: Props) {
  const [q, setQ] = useState("");
  const needle = q.trim();
  // The domain's stations and the orphans (the API lists them apart): a station with no group can be adopted too.
  // Nothing is kept once the picker closes (gcTime 0): a station moved since would otherwise show from the cache in
  // its old group next to its fresh row until the refetch lands.
  const [orphans, inDomain] = useQueries({
    queries: [
      { queryKey: ["stations", "orphans", needle], queryFn: () => groupsApi.orphans(needle, SHOWN), enabled: needle.length > 0, gcTime: 0 },
      { queryKey: ["stations", "list", needle, "picker"], queryFn: () => api.stations({ q: needle, limit: SHOWN }), enabled: needle.length > 0, gcTime: 0 },
    ],
  });
  const found = { error: orphans.error ?? inDomain.error, isSuccess: orphans.isSuccess && inDomain.isSuccess };
  // One row per station: one that moved between the two answers is listed once, as the orphans' answer has it.
  const listed = orphans.data?.items ?? [];
  const orphanIds = new Set(listed.map((s) => s.station_id));
  const items = [...listed, ...(inDomain.data?.items ?? []).filter((s) => !orphanIds.has(s.station_id))]
    .filter((s) => !exclude.has(s.station_id));
  return (
    <Stack gap="xs">
      <Title order={4} size="h6">{t.addStation}</Title>
      <TextInput label={t.searchStations} value={q} onChange={(e) => setQ(e.currentTarget.value)} type="search" maw={360}
        onKeyDown={(e) => e.key === "Enter" && e.preventDefault()} /* inside the group's form: Enter must not save it */ />
      <ErrorText error={found.error} />
      {needle && found.isSuccess && items.length === 0 && <Text size="sm">{t.noStationsFound}</Text>}
      {items.length > 0 && (
        <Table aria-label={t.searchStations} withRowBorders={false}>
          <Table.Tbody>
            {items.map((s) => (
              <Table.Tr key={s.station_id}>
                <Table.Td>{s.station_id}</Table.Td>
                <Table.Td><Text size="sm" c="dark.6">{s.group_name ? t.inGroup(s.group_name) : t.orphan}</Text></Table.Td>
                <Table.Td>
                  <Group justify="flex-end">
                    <Button size="compact-sm" variant="light" aria-label={t.addThis(s.station_id)} loading={pending}
                      onClick={() => onPick(s.station_id)}>{t.addButton}</Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
