/** What the add and edit views share: NAME and PARENT GROUP, the CANCEL / SAVE CHANGES buttons, and the
 * group's stations as a list with their remove buttons. */

import { Anchor, Button, Group, List, Text, TextInput } from "@mantine/core";
import type { Group as GroupData } from "../../api";
import { href, stationPath } from "../../router";
import { strings } from "../../strings";
import { GroupSelect } from "./GroupSelect";

const t = strings.groups;

export type Fields = { name: string; parent: string };

type FieldsProps = {
  value: Fields;
  onChange: (value: Fields) => void;
  groups: GroupData[];
  exclude?: Set<string>;
  isBase?: boolean; // the operator's base group: no parent to choose
  parentHint?: string;
  placeholder?: string; // the add view's "Select charging group" (a group being edited always has its parent)
};

export function GroupFields({ value, onChange, groups, exclude, isBase, parentHint, placeholder }: FieldsProps) {
  return (
    <>
      <TextInput label={t.fieldName} value={value.name} required maxLength={100}
        onChange={(e) => onChange({ ...value, name: e.currentTarget.value })} />
      {isBase
        ? <Text size="sm">{t.baseGroupParent}</Text>
        : <GroupSelect label={t.parent} groups={groups} value={value.parent} placeholder={placeholder} exclude={exclude}
            description={parentHint} onChange={(parent) => onChange({ ...value, parent })} />}
    </>
  );
}

export function FormButtons({ pending, back, submit = t.save }: { pending: boolean; back: string; submit?: string }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" component="a" href={href(back)}>{t.cancel}</Button>
      <Button type="submit" loading={pending}>{submit}</Button>
    </Group>
  );
}

type StationItem = { station_id: string; point_count?: number };

export function StationList({ items, onRemove }: { items: StationItem[]; onRemove?: (stationId: string) => void }) {
  if (items.length === 0) return <Text size="sm">{t.noStationsInGroup}</Text>;
  return (
    <List listStyleType="none" spacing={4} aria-label={t.stationsHeading}>
      {items.map((s) => (
        <List.Item key={s.station_id}>
          <Group gap="sm">
            <Anchor href={href(stationPath(s.station_id))}>{s.station_id}</Anchor>
            {s.point_count !== undefined && <Text size="sm" c="dark.6">{t.stationPoints(s.point_count)}</Text>}
            {onRemove && (
              <Button size="compact-sm" variant="default" aria-label={t.removeStation(s.station_id)} onClick={() => onRemove(s.station_id)}>
                {t.remove}
              </Button>
            )}
          </Group>
        </List.Item>
      ))}
    </List>
  );
}
