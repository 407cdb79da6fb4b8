/** Edit charging group: rename, move under another parent (not under itself or its subgroups; the base
 * group stays where it is), add and remove stations (admins), and delete the group when it is empty. */

import { Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Group } from "../../api";
import { useAuth } from "../../auth";
import { groupsApi, type GroupDetails } from "../../calls/groups";
import { navigate } from "../../router";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { Confirm } from "./Confirm";
import { DeleteGroup } from "./DeleteGroup";
import { FormButtons, GroupFields, StationList, type Fields } from "./GroupFields";
import { subtreeOf } from "./GroupSelect";
import { Crumbs } from "./Crumbs";
import { groupPath } from "./paths";
import { StationPicker } from "./StationPicker";

const t = strings.groups;

export function EditGroup({ groupId }: { groupId: string }) {
  const tree = useQuery({ queryKey: ["groups", "tree"], queryFn: api.groupTree });
  const details = useQuery({ queryKey: ["groups", "details", groupId], queryFn: () => groupsApi.details(groupId) });
  const error = details.error ?? tree.error;
  if (error) return <ErrorText error={error} />;
  if (!details.data || !tree.data) return <Text>{strings.app.loading}</Text>;
  return <Editor details={details.data} groups={tree.data.items} />;
}

/** After any change: every group view, the station lists and the dashboard read again. */
function useRefresh() {
  const queries = useQueryClient();
  return () => Promise.all(["groups", "stations", "dashboard", "dashboard-points"].map((key) => queries.invalidateQueries({ queryKey: [key] })));
}

function Editor({ details, groups }: { details: GroupDetails; groups: Group[] }) {
  const { operator } = useAuth();
  const isBase = details.group_id === operator?.base_group_id;
  const [fields, setFields] = useState<Fields>({ name: details.name, parent: details.parent_id ?? "" });
  const refresh = useRefresh();
  const save = useMutation({
    mutationFn: () =>
      groupsApi.update(details.group_id, { name: fields.name.trim(), parent_id: fields.parent || null, version: details.version }),
    onSuccess: async () => { await refresh(); navigate(groupPath()); },
  });
  return (
    <Paper withBorder p="md" maw={720}>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} noValidate>
        <Stack>
          <Crumbs steps={[[t.heading, groupPath()], [details.name, groupPath({ id: details.group_id })], [t.editHeading]]} />
          <Title order={2} size="h3">{t.editHeading}</Title>
          <GroupFields value={fields} onChange={setFields} groups={groups} isBase={isBase} exclude={subtreeOf(groups, details.group_id)} />
          <Members details={details} admin={operator?.role === "admin"} />
          <ErrorText error={save.error} />
          <FormButtons pending={save.isPending} back={groupPath({ id: details.group_id })} />
        </Stack>
      </form>
      <DeleteGroup group={details} />
    </Paper>
  );
}

function Members({ details, admin }: { details: GroupDetails; admin: boolean }) {
  const queries = useQueryClient();
  const refresh = useRefresh();
  const [removing, setRemoving] = useState<string | null>(null);
  const key = ["groups", "details", details.group_id];
  const add = useMutation({
    mutationFn: (stationId: string) => groupsApi.addStation(details.group_id, stationId),
    onSuccess: (updated) => { queries.setQueryData(key, updated); return refresh(); },
  });
  const remove = useMutation({
    mutationFn: (stationId: string) => groupsApi.removeStation(details.group_id, stationId),
    onSuccess: () => { setRemoving(null); return refresh(); },
  });
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">{t.stationsHeading}</Title>
      {admin && <StationPicker exclude={new Set(details.stations.map((s) => s.station_id))} onPick={(id) => add.mutate(id)} pending={add.isPending} />}
      <ErrorText error={add.error} />
      <StationList items={details.stations} onRemove={admin ? (id) => { remove.reset(); setRemoving(id); } : undefined} />
      <Confirm opened={removing !== null} question={t.confirmRemove(removing ?? "")} confirm={t.yesRemove}
        onConfirm={() => removing && remove.mutate(removing)} onClose={() => setRemoving(null)} pending={remove.isPending} error={remove.error} />
    </Stack>
  );
}
