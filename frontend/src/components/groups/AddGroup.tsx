/** Add new charging group: NAME (the only mandatory field), PARENT GROUP (else right under the base
 * group; basic operators must choose one: the API says so) and, for admins, stations to move into it. */

import { Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api";
import { useAuth } from "../../auth";
import { groupsApi } from "../../calls/groups";
import { navigate } from "../../router";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { FormButtons, GroupFields, StationList, type Fields } from "./GroupFields";
import { Crumbs } from "./Crumbs";
import { groupPath } from "./paths";
import { StationPicker } from "./StationPicker";

const t = strings.groups;

export function AddGroup() {
  const admin = useAuth().operator?.role === "admin";
  const tree = useQuery({ queryKey: ["groups", "tree"], queryFn: api.groupTree });
  const [fields, setFields] = useState<Fields>({ name: "", parent: "" });
  const [stations, setStations] = useState<string[]>([]);
  const queries = useQueryClient();
  const create = useMutation({
    mutationFn: () => groupsApi.create({ name: fields.name.trim(), parent_id: fields.parent || null, station_ids: stations }),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ["groups"] });
      void queries.invalidateQueries({ queryKey: ["dashboard"] });
      navigate(groupPath());
    },
  });
  if (tree.error) return <ErrorText error={tree.error} />;
  if (!tree.data) return <Text>{strings.app.loading}</Text>;
  return (
    <Paper withBorder p="md" maw={720}>
      <form onSubmit={(e) => { e.preventDefault(); create.mutate(); }} noValidate>
        <Stack>
          <Crumbs steps={[[t.heading, groupPath()], [t.addHeading]]} />
          <Title order={2} size="h3">{t.addHeading}</Title>
          <GroupFields value={fields} onChange={setFields} groups={tree.data.items} placeholder={t.selectParent}
            parentHint={admin ? t.parentHint : t.parentRequired} />
          <Title order={3} size="h4">{t.stationsHeading}</Title>
          <StationList items={stations.map((station_id) => ({ station_id }))}
            onRemove={admin ? (id) => setStations(stations.filter((s) => s !== id)) : undefined} />
          {admin && <StationPicker exclude={new Set(stations)} onPick={(id) => setStations([...stations, id])} />}
          <ErrorText error={create.error} />
          <FormButtons pending={create.isPending} back={groupPath()} />
        </Stack>
      </form>
    </Paper>
  );
}
