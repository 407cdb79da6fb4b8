/** A confirmation dialog: the question, the API's error when the action fails, and the two buttons. */

import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { ErrorText } from "../ErrorText";
import { strings } from "../../strings";

type Props = {
  opened: boolean;
  question: string;
  confirm: string;
  onConfirm: () => void;
  onClose: () => void;
  pending: boolean;
  error: unknown;
};

export function Confirm({ opened, question, confirm, onConfirm, onClose, pending, error }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={strings.groups.confirmTitle}>
      <Stack>
        <Text>{question}</Text>
        <ErrorText error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{strings.groups.no}</Button>
          <Button color="red.8" onClick={onConfirm} loading={pending}>{confirm}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
