/** The configuration keys as a table: read-only keys grayed and marked, drifting ones marked; admins get
 * an edit button on each writable key. */

import { Badge, Button, Table, Text } from "@mantine/core";
import type { ConfigKey } from "../../calls/station";
import { strings } from "../../strings";

const t = strings.station.advanced;

type Props = { keys: ConfigKey[]; admin: boolean; onEdit: (key: ConfigKey) => void };

export function ConfigKeys({ keys, admin, onEdit }: Props) {
  if (keys.length === 0) return <Text>{t.noKeys}</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table aria-label={t.keysTable} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t.key}</Table.Th><Table.Th>{t.value}</Table.Th><Table.Th>{t.recommended}</Table.Th>
            <Table.Th>{t.origin}</Table.Th><Table.Th>{t.lastAnswer}</Table.Th>{admin && <Table.Th>{strings.station.list.actions}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((k) => (
            <Table.Tr key={k.key} c={k.readonly ? "dark.4" : undefined} data-readonly={k.readonly || undefined}>
              <Table.Td ff="monospace">{k.key}</Table.Td>
              <Table.Td>
                {k.value ?? ""}{" "}
                {k.readonly && <Badge color="dark.7" variant="outline" size="sm">{t.readonly}</Badge>}{" "}
                {k.drift && <Badge color="red.9" variant="outline" size="sm">{t.drifts}</Badge>}
              </Table.Td>
              <Table.Td>{k.recommended ?? ""}</Table.Td>
              <Table.Td>{k.origin ?? ""}</Table.Td>
              <Table.Td>{k.status ?? ""}</Table.Td>
              {admin && (
                <Table.Td>
                  {!k.readonly && <Button size="compact-sm" variant="default" aria-label={t.edit(k.key)} onClick={() => onEdit(k)}>✎</Button>}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
