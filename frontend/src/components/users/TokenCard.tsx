/** One RFID token in the user editor: id (fixed once saved), name, status, validity, and its delete button. */

import { Checkbox, Fieldset, Group, Select, SimpleGrid, TextInput } from "@mantine/core";
import type { TokenStatus } from "../../calls/users";
import { strings } from "../../strings";
import { Confirm } from "./Confirm";
import type { TokenDraft } from "./tokenDraft";

const t = strings.users;
const STATUSES = (["Active", "Blocked"] as const).map((value) => ({ value, label: t.tokenStatuses[value] }));

type Props = {
  n: number;
  draft: TokenDraft;
  canDelete: boolean; // saved tokens: admins only (the manual's note)
  deleting: boolean;
  onChange: (draft: TokenDraft) => void;
  onDelete: () => void;
};

export function TokenCard({ n, draft, canDelete, deleting, onChange, onDelete }: Props) {
  const set = (patch: Partial<TokenDraft>) => onChange({ ...draft, ...patch });
  return (
    <Fieldset legend={t.token(n)} data-testid="token">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label={t.tokenId} value={draft.token_id} readOnly={draft.saved !== null} variant={draft.saved ? "filled" : "default"} required
          onChange={(e) => set({ token_id: e.currentTarget.value })} maxLength={20} />
        <TextInput label={t.tokenName} value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} maxLength={100} />
        <Select label={t.tokenStatus} data={STATUSES} value={draft.status} allowDeselect={false}
          onChange={(value) => value && set({ status: value as TokenStatus })} />
        <TextInput type="date" label={t.validFrom} value={draft.valid_from} onChange={(e) => set({ valid_from: e.currentTarget.value })} />
        <TextInput type="date" label={t.validTo} value={draft.infinite ? "" : draft.valid_to} disabled={draft.infinite}
          onChange={(e) => set({ valid_to: e.currentTarget.value })} />
        <Checkbox label={t.validInfinitely} checked={draft.infinite} mt={{ sm: 30 }}
          onChange={(e) => set({ infinite: e.currentTarget.checked })} />
      </SimpleGrid>
      {(canDelete || draft.saved === null) && (
        <Group mt="sm">
          <Confirm label={t.deleteToken} question={t.confirmDeleteToken(draft.token_id)} yes={t.yes} no={t.no} pending={deleting} onConfirm={onDelete} />
        </Group>
      )}
    </Fieldset>
  );
}
