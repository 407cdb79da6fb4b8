/** The dashboard's charging group view: each selected group as a box holding its stations (a line of
 * point icons) and its subgroups, as the manual draws it. */

import { Box, Group, Stack, Text } from "@mantine/core";
import type { Group as GroupData, StationPoints } from "../api";
import { strings } from "../strings";
import { StatusIcon } from "./StatusIcon";

const t = strings.dashboard;

export type TreeData = {
  groups: GroupData[];
  stations: StationPoints[]; // with their points' live status
};

export function GroupTree({ rootId, data }: { rootId: string; data: TreeData }) {
  const group = data.groups.find((g) => g.group_id === rootId);
  if (!group) return null;
  const children = data.groups.filter((g) => g.parent_id === rootId);
  const stations = data.stations.filter((s) => s.group_id === rootId);
  return (
    <Box component="section" aria-label={group.name} p="sm" style={{ border: "1px solid var(--mantine-color-gray-5)", borderRadius: 6 }}>
      <Text fw={700} mb={6}>{group.name}</Text>
      <Stack gap="xs">
        {stations.length > 0 && (
          <Group gap="md" align="flex-end">
            {stations.map((station) => <Station key={station.station_id} station={station} />)}
          </Group>
        )}
        {children.map((child) => <GroupTree key={child.group_id} rootId={child.group_id} data={data} />)}
      </Stack>
    </Box>
  );
}

function Station({ station }: { station: StationPoints }) {
  return (
    <Box role="group" aria-label={t.station(station.name)} title={station.name} data-testid={`station-${station.station_id}`}>
      <Group gap={3} wrap="nowrap">
        {station.points.map((p) => (
          <StatusIcon key={p.point} status={p.status} label={t.point(p.point, strings.statuses[p.status] ?? p.status)} />
        ))}
      </Group>
      <Box h={3} mt={3} bg="dark.4" />
      <Text size="xs" c="dark.6">{station.name}</Text>
    </Box>
  );
}
