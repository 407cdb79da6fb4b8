/** Get diagnostics: the options GetDiagnostics takes (the period wanted, the upload's retries), then the
 * request goes out; a refusal stays in the dialog as the API words it. */

import { Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { stationActivityApi, type DiagnosticsOptions } from "../../../calls/stationActivity";
import { strings } from "../../../strings";
import { ErrorText } from "../../ErrorText";
import { zonedToIso } from "./format";
import { pickingZone, useStationRequest } from "./sending";

const t = strings.stationActivity.diagnostics;
const c = strings.stationActivity.commands;

type Props = { stationId: string; timeZone?: string; onClose: () => void };
type Form = { start: string; stop: string; retries: string | number; interval: string | number };

export function DiagnosticsDialog({ stationId, timeZone, onClose }: Props) {
  const [form, setForm] = useState<Form>({ start: "", stop: "", retries: "", interval: "" });
  const { sending, submit } = useStationRequest(
    stationId, "diagnostics", () => stationActivityApi.requestDiagnostics(stationId, options(form, timeZone)), onClose,
  );
  const zone = pickingZone(timeZone);
  return (
    <Modal opened onClose={onClose} title={t.title} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Text>{t.intro}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput type="datetime-local" label={t.startTime} description={t.timeHint(zone)} value={form.start}
              onChange={(e) => setForm({ ...form, start: e.currentTarget.value })} />
            <TextInput type="datetime-local" label={t.stopTime} description={t.timeHint(zone)} value={form.stop}
              onChange={(e) => setForm({ ...form, stop: e.currentTarget.value })} />
            <NumberInput label={t.retries} description={t.retriesHint} min={0} max={10} allowDecimal={false} value={form.retries}
              onChange={(value) => setForm({ ...form, retries: value })} />
            <NumberInput label={t.retryInterval} min={1} max={3600} allowDecimal={false} value={form.interval}
              onChange={(value) => setForm({ ...form, interval: value })} />
          </SimpleGrid>
          <ErrorText error={sending.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{c.cancel}</Button>
            <Button type="submit" loading={sending.isPending}>{t.send}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function options({ start, stop, retries, interval }: Form, timeZone?: string): DiagnosticsOptions {
  const number = (value: string | number) => (value === "" ? undefined : Number(value));
  return {
    start_time: start ? zonedToIso(start, timeZone) : undefined,
    stop_time: stop ? zonedToIso(stop, timeZone) : undefined,
    retries: number(retries),
    retry_interval: number(interval),
  };
}
