/** The manual's report filters: dates, charging groups, charging points, charging users, user groups, tokens,
 * and the CSV delimiter. What they pick from is the operator's domain (the first 100 of each list). */

import { MultiSelect, SegmentedControl, SimpleGrid, Stack, TagsInput, Text, TextInput } from "@mantine/core";
import { useQueries, useQuery } from "@tanstack/react-query";
import { api } from "../../api";
import { CHOICES_LIMIT, choicesApi, type Delimiter } from "../../calls/reports";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { pointChoice, type Filters } from "./selection";

const t = strings.reports;
const TOKEN_OWNERS = 20; // users whose tokens are offered (each is one request)

export function ReportFilters({ filters, onChange }: { filters: Filters; onChange: (next: Filters) => void }) {
  const set = <K extends keyof Filters>(key: K) => (value: Filters[K]) => onChange({ ...filters, [key]: value });
  const choices = useChoices();
  return (
    <Stack gap="sm">
      <Text size="sm">{t.intro}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput type="date" label={t.from} value={filters.from} onChange={(e) => set("from")(e.currentTarget.value)} />
        <TextInput type="date" label={t.to} value={filters.to} onChange={(e) => set("to")(e.currentTarget.value)} />
        <MultiSelect label={t.groups} data={choices.groups} value={filters.groups} onChange={set("groups")} searchable clearable />
        <MultiSelect label={t.points} data={choices.points} value={filters.points} onChange={set("points")} searchable clearable />
        <MultiSelect label={t.users} data={choices.users} value={filters.users} onChange={set("users")} searchable clearable />
        <MultiSelect label={t.userGroups} data={choices.userGroups} value={filters.userGroups} onChange={set("userGroups")} searchable clearable />
        <TagsInput label={t.tokens} description={t.tokensHint} data={choices.tokens} value={filters.tokens} onChange={set("tokens")} clearable />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="report-delimiter">{t.delimiter}</Text>
          <SegmentedControl aria-labelledby="report-delimiter" data={t.delimiters.map(([value, label]) => ({ value, label }))}
            value={filters.delimiter} onChange={(value) => set("delimiter")(value as Delimiter)} />
        </Stack>
      </SimpleGrid>
      <Text size="xs" c="dimmed">{t.choicesHint(CHOICES_LIMIT)}</Text>
      <ErrorText error={choices.error} />
    </Stack>
  );
}

/** The options of each filter, read once per visit. */
function useChoices() {
  const groups = useQuery({ queryKey: ["groups", "tree"], queryFn: api.groupTree });
  const stations = useQuery({ queryKey: ["stations", "choices"], queryFn: choicesApi.stations });
  const users = useQuery({ queryKey: ["charging-users", "choices"], queryFn: choicesApi.chargingUsers });
  const userGroups = useQuery({ queryKey: ["user-groups", "choices"], queryFn: choicesApi.userGroups });
  const owners = (users.data?.items ?? []).filter((u) => u.token_count > 0).slice(0, TOKEN_OWNERS);
  const details = useQueries({
    queries: owners.map((u) => ({ queryKey: ["charging-users", u.user_id], queryFn: () => choicesApi.chargingUser(u.user_id) })),
  });
  return {
    groups: (groups.data?.items ?? []).map((g) => ({ value: g.group_id, label: g.name })),
    points: (stations.data?.items ?? []).map((s) => ({
      group: s.name === s.station_id ? s.station_id : `${s.station_id} ${s.name}`,
      items: [
        { value: pointChoice(s.station_id), label: t.allPoints(s.station_id) },
        ...Array.from({ length: s.point_count }, (_, i) => ({ value: pointChoice(s.station_id, i + 1), label: t.point(s.station_id, i + 1) })),
      ],
    })),
    users: (users.data?.items ?? []).map((u) => ({ value: u.user_id, label: t.user(u.first_name, u.last_name, u.email) })),
    userGroups: (userGroups.data?.items ?? []).map((g) => ({ value: g.user_group_id, label: g.name })),
    tokens: [...new Set(details.flatMap((d) => d.data?.tokens.map((token) => token.token_id) ?? []))],
    error: groups.error ?? stations.error ?? users.error ?? userGroups.error,
  };
}
