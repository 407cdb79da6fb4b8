/** General information (name, identifier, parent group) and the EVSE's code, name, eMI3 ID and roaming:
 * one SAVE CHANGES (the station, then its EVSE data with the version the first answer gave). */

import { Alert, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { stationApi, type StationDetail } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { SaveCancel, submitWith } from "./FormButtons";
import { GroupSelect } from "./GroupSelect";
import { stationKey, useKeepStation } from "./useStation";

const t = strings.station.basic;

function initial(s: StationDetail) {
  return { name: s.name, group_id: s.group_id ?? "", evse_code: s.evse_code ?? "", evse_name: s.evse_name ?? "", emi3_id: s.emi3_id ?? "", roaming: s.roaming };
}

export function BasicForm({ station, admin }: { station: StationDetail; admin: boolean }) {
  const keep = useKeepStation(station.station_id);
  const queries = useQueryClient();
  const refresh = () => queries.invalidateQueries({ queryKey: stationKey(station.station_id) });
  const [form, setForm] = useState(() => initial(station));
  const save = useMutation({
    mutationFn: async () => {
      const edited = await stationApi.edit(station.station_id, { name: form.name.trim(), group_id: form.group_id || null, version: station.version });
      const { evse_code, evse_name, emi3_id, roaming } = form;
      return stationApi.setMetadata(station.station_id, { evse_code, evse_name, emi3_id, roaming, version: edited.version });
    },
    onSuccess: keep,
    onError: refresh, // the first call may have saved: the next try needs the version it gave
  });
  const text = (key: "name" | "evse_code" | "evse_name" | "emi3_id") => ({
    value: form[key],
    readOnly: !admin,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  return (
    <form onSubmit={submitWith(() => save.mutate())} noValidate>
      <Stack>
        <Title order={2} size="h4">{t.generalInformation}</Title>
        <TextInput label={t.name} required {...text("name")} />
        <TextInput label={t.identifier} value={station.station_id} readOnly />
        {admin
          ? <GroupSelect label={t.parentGroup} value={form.group_id} empty={station.group_name ?? strings.station.add.selectGroup} onChange={(group_id) => setForm({ ...form, group_id })} />
          : <TextInput label={t.parentGroup} value={station.group_name ?? ""} readOnly />}
        {station.orphan && <Text size="sm">{t.orphan}</Text>}
        <Title order={2} size="h4">{t.evseHeading}</Title>
        <TextInput label={t.evseCode} description={t.evseCodeHint} {...text("evse_code")} />
        <TextInput label={t.evseName} {...text("evse_name")} />
        <TextInput label={t.emi3} description={t.emi3Hint} {...text("emi3_id")} />
        <Switch label={t.roaming} description={t.roamingHint} checked={form.roaming} disabled={!admin}
          onChange={(e) => setForm({ ...form, roaming: e.currentTarget.checked })} />
        <ErrorText error={save.error} />
        {save.isSuccess && <Alert color="green" role="status"><Text size="sm" c="green.9">{t.saved}</Text></Alert>}
        {admin && <SaveCancel onCancel={() => { setForm(initial(station)); save.reset(); }} saving={save.isPending} />}
      </Stack>
    </form>
  );
}
