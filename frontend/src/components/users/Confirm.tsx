/** A destructive action behind a question asked in place: the button, then the question with YES / NO. */

import { Alert, Button, Group, Text } from "@mantine/core";
import { useState } from "react";

type Props = {
  label: string;
  question: string;
  yes: string;
  no: string;
  pending?: boolean;
  onConfirm: () => void;
};

export function Confirm({ label, question, yes, no, pending = false, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return <Button color="red" variant="outline" onClick={() => setAsking(true)}>{label}</Button>;
  }
  return (
    <Alert color="red" variant="light" role="group" aria-label={label}>
      <Text size="sm" c="red.9" mb="xs">{question}</Text>
      <Group gap="xs">
        <Button color="red" loading={pending} onClick={onConfirm}>{yes}</Button>
        <Button variant="default" onClick={() => setAsking(false)}>{no}</Button>
      </Group>
    </Alert>
  );
}
