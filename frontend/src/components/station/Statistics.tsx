/** Station tab Statistics: the last 24 hours' cards, and energy and charging events per day over 7 or 30
 * days with their totals: the dashboard's consumption chart (ECharts, loaded with import() after log-in) and
 * its table alternative. */

import { Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { stationActivityApi, type StationStatistics } from "../../calls/stationActivity";
import { strings } from "../../strings";
import { Consumption } from "../Consumption";
import { ErrorText } from "../ErrorText";

const t = strings.stationActivity.statistics;
type Days = StationStatistics["days"];

export function Statistics({ stationId }: { stationId: string }) {
  const [span, setSpan] = useState("7");
  const statistics = useQuery({
    queryKey: ["stations", stationId, "statistics", span],
    queryFn: () => stationActivityApi.statistics(stationId, Number(span)),
    placeholderData: keepPreviousData,
  });
  if (statistics.error) return <ErrorText error={statistics.error} />;
  if (!statistics.data) return <Text>{strings.app.loading}</Text>;
  const { last_24_hours: last, days } = statistics.data;
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card label={t.chargingEvents} value={String(last.charging_events)} id="events" />
        <Card label={t.chargingPoints} value={String(last.used_points)} id="points" />
        <Card label={t.kwhCharged} value={last.energy_kwh.toLocaleString("en", { maximumFractionDigits: 2 })} id="kwh" />
      </SimpleGrid>
      <Paper withBorder p="md" component="section" aria-labelledby="statistics-heading">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="statistics-heading">{t.chartHeading(Number(span))}</Title>
          <SegmentedControl aria-label={t.span} value={span} onChange={setSpan}
            data={t.spans.map(([value, label]) => ({ value, label }))} />
        </Group>
        <Totals days={days} />
        <Consumption days={days} />
      </Paper>
    </Stack>
  );
}

function Card({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="sm" fw={700} c="dark.6" id={`card-${id}`}>{label}</Text>
      <Text fw={700} size="xl" aria-labelledby={`card-${id}`} data-testid={`card-${id}`}>{value}</Text>
      <Text size="xs" c="dark.6">{t.lastDay}</Text>
    </Paper>
  );
}

function Totals({ days }: { days: Days }) {
  const energy = days.reduce((sum, d) => sum + d.energy_kwh, 0);
  const sessions = days.reduce((sum, d) => sum + d.sessions, 0);
  return <Text mb="sm" data-testid="statistics-totals">{t.totals(days.length, t.kwh(energy), sessions)}</Text>;
}
