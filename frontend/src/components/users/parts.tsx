/** Pieces both the charging user and the user group views use: the dialog frame, its button bar, a row's button. */

import { Button, Group, Modal, Title, VisuallyHidden } from "@mantine/core";
import type { ReactNode } from "react";

type DialogProps = { title: string; closeLabel: string; size: string; onClose: () => void; children: ReactNode };

/** A dialog named by its heading (Mantine links the title to the dialog for screen readers). */
export function Dialog({ title, closeLabel, size, onClose, children }: DialogProps) {
  return (
    <Modal opened onClose={onClose} size={size} closeButtonProps={{ "aria-label": closeLabel }}
      title={<Title order={2} size="h3" component="span">{title}</Title>}>
      {children}
    </Modal>
  );
}

type SaveBarProps = { cancel: string; save: string; saving: boolean; onCancel: () => void; children?: ReactNode };

/** CANCEL and the submit button on the left, the delete action (if any) on the right, as the manual draws it. */
export function SaveBar({ cancel, save, saving, onCancel, children }: SaveBarProps) {
  return (
    <Group justify="space-between">
      <Group>
        <Button variant="default" onClick={onCancel}>{cancel}</Button>
        <Button type="submit" loading={saving}>{save}</Button>
      </Group>
      {children}
    </Group>
  );
}

/** A row's action: the manual's caption, and (for screen readers) the row it acts on. */
export function RowButton({ label, row, onClick }: { label: string; row: string; onClick: () => void }) {
  return (
    <Button size="xs" variant="default" onClick={onClick}>
      {label}<VisuallyHidden>{` ${row}`}</VisuallyHidden>
    </Button>
  );
}
