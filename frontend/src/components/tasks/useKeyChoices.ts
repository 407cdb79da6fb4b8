/** What a task's key is picked from, per type (the first 100 of each list), and the names the list shows. */

import { useQuery } from "@tanstack/react-query";
import { choicesApi } from "../../calls/reports";
import { strings } from "../../strings";
import type { KeyNames } from "./describe";

export type KeyChoices = Record<"max_current" | "user_activation" | "user_group_activation", { value: string; label: string }[]>;

export function useKeyChoices(enabled: boolean): { keys: KeyChoices; names: KeyNames; error: unknown } {
  const stations = useQuery({ queryKey: ["stations", "choices"], queryFn: choicesApi.stations, enabled });
  const users = useQuery({ queryKey: ["charging-users", "choices"], queryFn: choicesApi.chargingUsers, enabled });
  const groups = useQuery({ queryKey: ["user-groups", "choices"], queryFn: choicesApi.userGroups, enabled });
  const keys: KeyChoices = {
    max_current: (stations.data?.items ?? []).map((s) => ({ value: s.station_id, label: s.name === s.station_id ? s.station_id : `${s.station_id} ${s.name}` })),
    user_activation: (users.data?.items ?? []).map((u) => ({ value: u.user_id, label: strings.tasks.user(u.first_name, u.last_name, u.email) })),
    user_group_activation: (groups.data?.items ?? []).map((g) => ({ value: g.user_group_id, label: g.name })),
  };
  const names = Object.fromEntries(Object.values(keys).flat().map((c) => [c.value, c.label]));
  return { keys, names, error: stations.error ?? users.error ?? groups.error };
}
