/** Change one configuration key (admins) in a dialog: ChangeConfiguration, waiting for the charger's answer;
 * a refusal (read-only key, rejected value, no answer) shows the manual's "Charging point configuration error.". */

import { Alert, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { stationApi, taken, type ConfigKey } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { SaveCancel, submitWith } from "./FormButtons";

const t = strings.station.advanced;

type Props = { stationId: string; configKey: ConfigKey; onClose: () => void };

export function EditKey({ stationId, configKey, onClose }: Props) {
  const queries = useQueryClient();
  const [value, setValue] = useState(configKey.value ?? "");
  const change = useMutation({
    mutationFn: async () => {
      const answer = await stationApi.changeKey(stationId, configKey.key, value);
      return { ...answer, command: taken(answer.command) };
    },
    onSettled: () => queries.invalidateQueries({ queryKey: ["station", stationId, "configuration"] }),
  });
  const status = change.data?.command.status ?? change.data?.command.state;
  return (
    <Modal opened onClose={onClose} title={t.editHeading(configKey.key)}>
      <form onSubmit={submitWith(() => change.mutate())} noValidate>
        <Stack>
          <TextInput label={t.newValue} value={value} onChange={(e) => setValue(e.currentTarget.value)} data-autofocus />
          <ErrorText error={change.error} />
          {change.isSuccess && status && (
            <Alert color="green" role="status"><Text size="sm" c="green.9">{t.changed(configKey.key, status)}</Text></Alert>
          )}
          <SaveCancel onCancel={onClose} saving={change.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
