/** What the station forms share: a submit that stays in the page, and the manual's CANCEL / SAVE CHANGES pair. */

import { Button, Group } from "@mantine/core";
import type { FormEvent } from "react";
import { strings } from "../../strings";

export const submitWith = (run: () => void) => (event: FormEvent) => {
  event.preventDefault();
  run();
};

export function SaveCancel({ onCancel, saving }: { onCancel: () => void; saving: boolean }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>{strings.station.add.cancel}</Button>
      <Button type="submit" loading={saving}>{strings.station.add.save}</Button>
    </Group>
  );
}
