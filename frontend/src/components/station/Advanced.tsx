/** Edit charging station (advanced settings): the charger's configuration keys with search and REFRESH
 * CONFIGURATION, admins change writable keys (read-only ones are grayed), the configuration source and
 * its drift (SAP help), and the firmware version and update status. */

import { Group, List, Paper, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { stationApi, type ConfigKey } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { ConfigKeys } from "./ConfigKeys";
import { ConfigSource } from "./ConfigSource";
import { EditKey } from "./EditKey";
import { Firmware } from "./Firmware";
import { RefreshConfiguration } from "./RefreshConfiguration";
import { useIsAdmin } from "./useStation";

const t = strings.station.advanced;

export const configurationKey = (stationId: string) => ["station", stationId, "configuration"] as const;

export function Advanced({ stationId }: { stationId: string }) {
  const admin = useIsAdmin();
  const [q, setQ] = useState("");
  const search = useDeferredValue(q.trim());
  const [editing, setEditing] = useState<ConfigKey | null>(null);
  const config = useQuery({
    queryKey: [...configurationKey(stationId), search],
    queryFn: () => stationApi.configuration(stationId, search || undefined),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md"><ConfigSource stationId={stationId} config={config.data} admin={admin} /></Paper>
        <Paper withBorder p="md"><Firmware stationId={stationId} /></Paper>
      </SimpleGrid>
      <List size="sm">{t.notes.map((note) => <List.Item key={note}>{note}</List.Item>)}</List>
      <Group align="flex-end" justify="space-between">
        <TextInput label={t.search} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={320} />
        <RefreshConfiguration stationId={stationId} />
      </Group>
      <Text size="sm">{config.data?.refreshed_at ? t.refreshed(strings.station.time(config.data.refreshed_at)) : t.neverRefreshed}</Text>
      <ErrorText error={config.error} />
      {config.data && <ConfigKeys keys={config.data.keys} admin={admin} onEdit={setEditing} />}
      {editing && <EditKey stationId={stationId} configKey={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
