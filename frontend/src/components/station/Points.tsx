/** Charging points (V3 "Charging points" and "Edit charging stations (Charging points)"): each point's
 * status, live (polled), and its sockets with their type and max. power; admins edit the sockets. */

import { Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import type { PointDetail } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { StatusIcon } from "../StatusIcon";
import { PointsEditor } from "./PointsEditor";
import { useIsAdmin, useStation } from "./useStation";

const t = strings.station.points;
export const LIVE_MS = 5_000;

export function Points({ stationId }: { stationId: string }) {
  const admin = useIsAdmin();
  const [editing, setEditing] = useState(false);
  const station = useStation(stationId, editing ? undefined : LIVE_MS);
  if (station.error && !station.data) return <ErrorText error={station.error} />;
  if (!station.data) return <Text>{strings.station.loading}</Text>;
  if (editing) return <PointsEditor station={station.data} onDone={() => setEditing(false)} />;
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm">{t.updated(new Date(station.dataUpdatedAt).toLocaleTimeString("en-GB"))}</Text>
        {admin && <Button variant="default" onClick={() => setEditing(true)}>{t.edit}</Button>}
      </Group>
      <ErrorText error={station.error} />
      {station.data.points.length === 0 && <Text>{t.none}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {station.data.points.map((p) => <PointCard key={p.point} point={p} />)}
      </SimpleGrid>
    </Stack>
  );
}

function PointCard({ point: p }: { point: PointDetail }) {
  const label = strings.statuses[p.status] ?? p.status;
  return (
    <Paper withBorder p="md" component="section" aria-label={t.point(p.point)}>
      <Stack gap="xs">
        <Title order={2} size="h4">{t.point(p.point)}</Title>
        <Group gap="xs" data-testid={`point-${p.point}-status`}>
          <StatusIcon status={p.status} />
          <Text aria-live="polite">{`${t.status}: ${label}`}{p.ocpp_status && p.ocpp_status !== p.status ? ` (${p.ocpp_status})` : ""}</Text>
        </Group>
        {p.since && <Text size="sm">{t.since(strings.station.time(p.since))}</Text>}
        {p.error_code && p.error_code !== "NoError" && <Text size="sm">{`${t.error}: ${p.error_code}`}{p.info ? ` – ${p.info}` : ""}</Text>}
        {!p.configured && <Text size="sm">{t.notConfigured}</Text>}
        {p.sockets.length === 0 && p.configured && <Text size="sm">{t.noSockets}</Text>}
        {p.sockets.map((s, i) => (
          <Text key={i} size="sm">{`${s.type} (${t.socket(i + 1)}) ${t.maxPowerValue(s.max_kw)}`}</Text>
        ))}
      </Stack>
    </Paper>
  );
}
