/** Add new charging station (V3): name, identifier (as configured in the charger; never changes), parent group. */

import { Modal, Stack, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { stationApi, type StationDetail } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { SaveCancel, submitWith } from "./FormButtons";
import { GroupSelect } from "./GroupSelect";

const t = strings.station.add;
const EMPTY = { name: "", station_id: "", group_id: "" };

export function AddStation({ opened, onClose, onAdded }: { opened: boolean; onClose: () => void; onAdded: (s: StationDetail) => void }) {
  const queries = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const add = useMutation({
    mutationFn: () => stationApi.create({
      station_id: form.station_id.trim(),
      name: form.name.trim() || undefined,
      group_id: form.group_id || undefined,
    }),
    onSuccess: (added) => {
      queries.invalidateQueries({ queryKey: ["stations"] });
      setForm(EMPTY);
      onAdded(added);
    },
  });
  function close() {
    add.reset();
    onClose();
  }
  return (
    <Modal opened={opened} onClose={close} title={t.heading} size="lg">
      <form onSubmit={submitWith(() => add.mutate())} noValidate>
        <Stack>
          <Title order={3} size="h5">{t.generalInformation}</Title>
          <TextInput label={t.name} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          <TextInput label={t.identifier} description={t.identifierHint} value={form.station_id} required
            onChange={(e) => setForm({ ...form, station_id: e.currentTarget.value })} />
          <GroupSelect label={t.parentGroup} value={form.group_id} empty={t.selectGroup}
            onChange={(group_id) => setForm({ ...form, group_id })} />
          <ErrorText error={add.error} />
          <SaveCancel onCancel={close} saving={add.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
