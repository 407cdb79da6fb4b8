/** What the invite and edit operator views share: the names, the permission level and the base group. */

import { Radio, Stack, TextInput, Title } from "@mantine/core";
import type { Group } from "../../api";
import type { Role } from "../../calls/operators";
import { strings } from "../../strings";
import { GroupSelect } from "./GroupSelect";

const t = strings.operators;

export type Person = { first_name: string; last_name: string; role: Role; base_group_id: string };

export function PersonFields<T extends Person>({ value, onChange, groups }: { value: T; onChange: (value: T) => void; groups: Group[] }) {
  return (
    <>
      <Title order={3} size="h4">{t.personal}</Title>
      <TextInput label={t.fieldFirstName} value={value.first_name} required autoComplete="off"
        onChange={(e) => onChange({ ...value, first_name: e.currentTarget.value })} />
      <TextInput label={t.fieldLastName} value={value.last_name} required autoComplete="off"
        onChange={(e) => onChange({ ...value, last_name: e.currentTarget.value })} />
      <Radio.Group label={t.permissions} value={value.role} onChange={(role) => onChange({ ...value, role: role as Role })}>
        <Stack gap="xs" mt={4}>
          {(["admin", "basic"] as const).map((role) => (
            <Radio key={role} value={role} label={t.roles[role][0]} description={t.roles[role][1]} />
          ))}
        </Stack>
      </Radio.Group>
      <GroupSelect label={t.fieldBaseGroup} groups={groups} value={value.base_group_id} placeholder={t.selectGroup} required
        onChange={(base_group_id) => onChange({ ...value, base_group_id })} />
    </>
  );
}
