/** The confirmation of a remote command: the manual's question, the command's options, CANCEL or send.
 * A refusal (e.g. a remote start to a disabled station) stays in the dialog as the API words it. */

import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { Command } from "../../../calls/stationActivity";
import { strings } from "../../../strings";
import { ErrorText } from "../../ErrorText";
import { NO_OPTIONS, send, TRIGGER_MESSAGES, type Ask, type Options } from "./catalog";

const t = strings.stationActivity.commands;
const TOKEN_MAX = 20; // OCPP 1.6 IdToken: CiString20Type

type Props = { stationId: string; ask: Ask; points: number[]; onClose: () => void; onSent: (command: Command) => void };

export function CommandDialog({ stationId, ask, points, onClose, onSent }: Props) {
  const [options, setOptions] = useState<Options>(NO_OPTIONS);
  const sending = useMutation({ mutationFn: () => send(stationId, ask, options), onSuccess: onSent });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    sending.mutate();
  };
  const question = t.questions[ask.kind];
  return (
    <Modal opened onClose={onClose} title={t.names[ask.kind]}>
      <form onSubmit={submit}>
        <Stack>
          <Text>{typeof question === "function" ? question(ask.point) : question}</Text>
          <Fields ask={ask} points={points} options={options} onChange={setOptions} />
          <ErrorText error={sending.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t.cancel}</Button>
            <Button type="submit" loading={sending.isPending}>{t.send}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type FieldsProps = { ask: Ask; points: number[]; options: Options; onChange: (options: Options) => void };

function Fields({ ask, points, options, onChange }: FieldsProps) {
  if (ask.kind === "start") {
    return (
      <TextInput label={t.token} description={t.tokenHint} required maxLength={TOKEN_MAX} data-autofocus
        value={options.token} onChange={(e) => onChange({ ...options, token: e.currentTarget.value })} />
    );
  }
  if (ask.kind !== "trigger") return null;
  return (
    <>
      <NativeSelect label={t.message} data={TRIGGER_MESSAGES} value={options.message}
        onChange={(e) => onChange({ ...options, message: e.currentTarget.value })} />
      <NativeSelect label={t.triggerPoint} value={options.triggerPoint}
        data={[{ value: "0", label: t.wholeStation }, ...points.map((n) => ({ value: String(n), label: strings.stationActivity.point(n) }))]}
        onChange={(e) => onChange({ ...options, triggerPoint: e.currentTarget.value })} />
    </>
  );
}
