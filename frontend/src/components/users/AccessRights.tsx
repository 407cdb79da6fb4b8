/** Where a charging user may charge: charging groups (their stations, subgroups included) and single stations. */

import { Fieldset, MultiSelect, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, type Group } from "../../api";
import { allPages } from "../../calls/users";
import { ErrorText } from "../ErrorText";
import { strings } from "../../strings";

const t = strings.users;

type Props = {
  groupIds: string[];
  stationIds: string[];
  onGroups: (ids: string[]) => void;
  onStations: (ids: string[]) => void;
};

export function AccessRights({ groupIds, stationIds, onGroups, onStations }: Props) {
  const groups = useQuery({ queryKey: ["groups", "tree"], queryFn: api.groupTree });
  const stations = useQuery({
    queryKey: ["stations", "all"],
    queryFn: () => allPages((cursor) => api.stations({ cursor, limit: 100 })),
  });
  const groupOptions = (groups.data?.items ?? []).map((g) => ({ value: g.group_id, label: path(g, groups.data!.items) }));
  const stationOptions = (stations.data ?? []).map((s) => ({
    value: s.station_id,
    label: s.name && s.name !== s.station_id ? `${s.name} (${s.station_id})` : s.station_id,
  }));
  return (
    <Fieldset legend={t.accessRights}>
      <Stack gap="sm">
        <Text size="sm" fw={600}>{t.selectDevices}</Text>
        <Text size="sm" c="dark.6">{t.accessHint}</Text>
        <ErrorText error={groups.error ?? stations.error} />
        <MultiSelect label={t.chargingGroups} data={withKept(groupOptions, groupIds)} value={groupIds} onChange={onGroups} searchable clearable clearButtonProps={{ "aria-label": t.clear(t.chargingGroups) }} />
        <MultiSelect label={t.chargingStations} data={withKept(stationOptions, stationIds)} value={stationIds} onChange={onStations} searchable clearable clearButtonProps={{ "aria-label": t.clear(t.chargingStations) }} />
      </Stack>
    </Fieldset>
  );
}

/** A group's name after its parents' ("ACME Shopping Malls / ACME Pine Mall"): names may repeat in a tree. */
function path(group: Group, all: Group[]): string {
  const names = [group.name];
  let parent = all.find((g) => g.group_id === group.parent_id);
  while (parent) {
    names.unshift(parent.name);
    const up: string | null = parent.parent_id;
    parent = all.find((g) => g.group_id === up);
  }
  return names.join(" / ");
}

/** Chosen ids not (yet) in the options stay selectable, shown by their id. */
function withKept(options: { value: string; label: string }[], chosen: string[]) {
  const known = new Set(options.map((o) => o.value));
  return [...options, ...chosen.filter((id) => !known.has(id)).map((id) => ({ value: id, label: id }))];
}
