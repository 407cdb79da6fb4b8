/** One charging group's statistics, as the dashboard's: its subtree's live summary, its own stations and
 * subgroups, the last 24 hours and consumption vs charging events per day. */

import { Anchor, Button, Group, List, NativeSelect, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { groupsApi, type GroupDetails, type GroupStatistics as Stats } from "../../calls/groups";
import { href, stationPath } from "../../router";
import { strings } from "../../strings";
import { Consumption } from "../Consumption";
import { ErrorText } from "../ErrorText";
import { Crumbs } from "./Crumbs";
import { groupPath } from "./paths";
import { StationDays } from "./StationDays";

const t = strings.groups;
const LIVE_MS = 10_000; // as the dashboard: live counters are a few reads per poll

export function GroupStatistics({ groupId }: { groupId: string }) {
  const [days, setDays] = useState("7");
  const stats = useQuery({
    queryKey: ["groups", "statistics", groupId, days],
    queryFn: () => groupsApi.statistics(groupId, Number(days)),
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });
  const details = useQuery({ queryKey: ["groups", "details", groupId], queryFn: () => groupsApi.details(groupId) });
  const error = stats.error ?? details.error;
  if (error) return <Stack><ErrorText error={error} /><BackLink /></Stack>;
  if (!stats.data || !details.data) return <Text>{strings.app.loading}</Text>;
  return (
    <Stack>
      <Crumbs steps={[[t.heading, groupPath()], [stats.data.name]]} />
      <Group justify="space-between">
        <Title order={2} size="h3">{t.statsHeading(stats.data.name)}</Title>
        <Button component="a" href={href(groupPath({ id: groupId, edit: "1" }))}>{t.editThis}</Button>
      </Group>
      <Figures items={[
        [t.stationsCount, stats.data.summary.stations, "stations"],
        [t.pointsCount, stats.data.summary.points, "points"],
        [t.chargingCount, stats.data.summary.charging, "charging"],
        [t.issuesCount, stats.data.summary.issues, "issues"],
      ]} />
      <Members details={details.data} />
      <Last24 stats={stats.data} />
      <Paper withBorder p="md" component="section" aria-labelledby="group-consumption">
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4" id="group-consumption">{t.consumption}</Title>
          <NativeSelect label={strings.dashboard.timeframe} value={days} onChange={(e) => setDays(e.currentTarget.value)}
            data={strings.dashboard.timeframes.slice(0, 3).map(([value, label]) => ({ value, label }))} />
        </Group>
        <Consumption days={stats.data.days} />
        <StationDays stats={stats.data} />
      </Paper>
      <BackLink />
    </Stack>
  );
}

function BackLink() {
  return <Anchor href={href(groupPath())}>{t.back}</Anchor>;
}

function Figures({ items }: { items: [string, number | string, string][] }) {
  return (
    <Group component="dl" gap="xl" my={0}>
      {items.map(([label, value, id]) => (
        <div key={id}>
          <Text component="dt" size="sm" c="dark.6">{label}</Text>
          <Text component="dd" m={0} fw={700} size="xl" data-testid={`group-figure-${id}`}>{value}</Text>
        </div>
      ))}
    </Group>
  );
}

function Members({ details }: { details: GroupDetails }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder p="md" component="section" aria-labelledby="group-own-stations">
        <Title order={3} size="h4" id="group-own-stations" mb="xs">{t.ownStations}</Title>
        {details.stations.length === 0 ? <Text>{t.noStations}</Text> : (
          <List>
            {details.stations.map((s) => (
              <List.Item key={s.station_id}>
                <Anchor href={href(stationPath(s.station_id))}>{s.name}</Anchor> <Text span size="sm">({t.stationPoints(s.point_count)})</Text>
              </List.Item>
            ))}
          </List>
        )}
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="group-subgroups">
        <Title order={3} size="h4" id="group-subgroups" mb="xs">{t.subgroups}</Title>
        {details.subgroups.length === 0 ? <Text>{t.noSubgroups}</Text> : (
          <List>
            {details.subgroups.map((g) => (
              <List.Item key={g.group_id}><Anchor href={href(groupPath({ id: g.group_id }))}>{g.name}</Anchor></List.Item>
            ))}
          </List>
        )}
      </Paper>
    </SimpleGrid>
  );
}

function Last24({ stats }: { stats: Stats }) {
  const last = stats.last_24_hours;
  return (
    <Paper withBorder p="md">
      <Figures items={[
        [t.chargingEvents, last.charging_events, "events"],
        [t.usedPoints, last.used_points, "used-points"],
        [t.kwhCharged, last.energy_kwh.toLocaleString("en", { maximumFractionDigits: 2 }), "energy"],
      ]} />
    </Paper>
  );
}
