/** The dashboard: charging group view with live point icons and the selection gear, status summary
 * (donut and its table), cumulatives of the last 24 hours. Live data is polled, never reloaded. */

import { ActionIcon, Button, Checkbox, Group, Modal, NativeSelect, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Dashboard as DashboardData, type Group as GroupData } from "../api";
import { Consumption } from "../components/Consumption";
import { Donut } from "../components/Donut";
import { ErrorText } from "../components/ErrorText";
import { GroupTree } from "../components/GroupTree";
import { strings } from "../strings";

const t = strings.dashboard;
export const LIVE_MS = 10_000; // status refresh; the API's counters cost a few reads per poll
const MAX_STATIONS = 100; // per selected group: one page of /dashboard/points

export function Dashboard() {
  const [days, setDays] = useState("7");
  const dashboard = useQuery({
    queryKey: ["dashboard", days],
    queryFn: () => api.dashboard(Number(days)),
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData, // another timeframe: the view stays while its days load
  });
  const tree = useQuery({ queryKey: ["groups", "tree"], queryFn: api.groupTree, staleTime: 60_000 });
  if (dashboard.error || tree.error) return <ErrorText error={dashboard.error ?? tree.error} />;
  if (!dashboard.data || !tree.data) return <Text>{strings.app.loading}</Text>;
  return <Sections data={dashboard.data} groups={tree.data.items} days={days} onDays={setDays} />;
}

type SectionsProps = { data: DashboardData; groups: GroupData[]; days: string; onDays: (days: string) => void };

function Sections({ data, groups, days, onDays }: SectionsProps) {
  const last = data.last_24_hours;
  return (
    <Stack>
      <Paper withBorder p="md" component="section" aria-labelledby="groups-heading">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="groups-heading">{t.groupsHeading}</Title>
          <Selection groups={groups} selected={data.selection} />
        </Group>
        <Totals summary={data.selected} />
        <Tree selection={data.selection} groups={groups} />
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="status-heading">
          <Title order={2} size="h4" id="status-heading" mb="sm">{t.statusHeading}</Title>
          <Donut summary={data.domain} />
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="cumulatives-heading">
          <Title order={2} size="h4" id="cumulatives-heading" mb="sm">{t.cumulativesHeading}</Title>
          <Figures items={[
            [t.chargingEvents, String(last.charging_events), "events"],
            [t.usedPoints, String(last.used_points), "used-points"],
            [t.energy, t.kwh(last.energy_kwh), "energy"],
          ]} />
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md" component="section" aria-labelledby="consumption-heading">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="consumption-heading">{t.consumptionHeading}</Title>
          <NativeSelect label={t.timeframe} value={days} onChange={(e) => onDays(e.currentTarget.value)}
            data={t.timeframes.map(([value, label]) => ({ value, label }))} />
        </Group>
        <Consumption days={data.days} />
      </Paper>
    </Stack>
  );
}

function Totals({ summary }: { summary: DashboardData["selected"] }) {
  return (
    <Figures items={[
      [t.stationsCount, String(summary.stations), "stations"],
      [t.pointsCount, String(summary.points), "points"],
      [t.chargingCount, String(summary.charging), "charging"],
      [t.issuesCount, String(summary.issues), "issues"],
    ]} />
  );
}

function Figures({ items }: { items: [string, string, string][] }) {
  return (
    <Group component="dl" gap="xl" my="sm">
      {items.map(([label, value, id]) => (
        <div key={id}>
          <Text component="dt" size="sm" c="dark.6">{label}</Text>
          <Text component="dd" m={0} fw={700} size="xl" data-testid={`figure-${id}`}>{value}</Text>
        </div>
      ))}
    </Group>
  );
}

function Tree({ selection, groups }: { selection: string[]; groups: GroupData[] }) {
  // One request per selected group and poll: its stations (first 100) with their points' live status.
  const pages = useQueries({
    queries: selection.map((groupId) => ({
      queryKey: ["dashboard-points", groupId],
      queryFn: () => api.points(groupId, MAX_STATIONS),
      refetchInterval: LIVE_MS,
    })),
  });
  const stations = pages.flatMap((page) => page.data?.items ?? []);
  const failed = pages.find((p) => p.error)?.error;
  const cut = pages.some((p) => p.data?.cursor);
  return (
    <Stack gap="sm">
      <ErrorText error={failed} />
      {selection.map((groupId) => <GroupTree key={groupId} rootId={groupId} data={{ groups, stations }} />)}
      {cut && <Text size="sm">{t.moreStations(MAX_STATIONS)}</Text>}
    </Stack>
  );
}

function Selection({ groups, selected }: { groups: GroupData[]; selected: string[] }) {
  const [opened, setOpened] = useState(false);
  const [chosen, setChosen] = useState<string[]>(selected);
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: () => api.selectGroups(chosen),
    onSuccess: () => { setOpened(false); return queries.invalidateQueries({ queryKey: ["dashboard"] }); },
  });
  return (
    <>
      <ActionIcon variant="subtle" color="dark" size="lg" aria-label={t.selection} title={t.selection}
        onClick={() => { setChosen(selected); setOpened(true); }}>
        <span aria-hidden="true" style={{ fontSize: 22 }}>⚙</span>
      </ActionIcon>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t.selection}>
        <Stack gap="xs">
          <Text size="sm">{t.selectionHint}</Text>
          <Checkbox.Group value={chosen} onChange={setChosen} aria-label={t.selection}>
            <Stack gap={6}>
              {groups.map((g) => <Checkbox key={g.group_id} value={g.group_id} label={g.name} ml={g.depth * 16} />)}
            </Stack>
          </Checkbox.Group>
          <ErrorText error={save.error} />
          <Button onClick={() => save.mutate()} loading={save.isPending}>{t.selectionApply}</Button>
        </Stack>
      </Modal>
    </>
  );
}
