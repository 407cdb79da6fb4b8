/** The status donut and its table (the text alternative); the chart library loads on first use. */

import { Group, Table, Text } from "@mantine/core";
import type { Summary } from "../api";
import { useChart } from "../charts/useChart";
import { STATUS_ORDER } from "../status";
import { strings } from "../strings";
import { StatusIcon } from "./StatusIcon";

const t = strings.dashboard;
const loadDonut = () => import("../charts/donut").then((m) => m.drawDonut);

export function Donut({ summary }: { summary: Summary }) {
  const slices = STATUS_ORDER.map((name) => ({ name, value: summary.donut[name] ?? 0 })).filter((s) => s.value > 0);
  const chart = useChart(loadDonut, slices);

  return (
    <Group align="center" wrap="wrap" gap="lg">
      <div ref={chart} role="img" aria-label={t.chartAlt} style={{ width: 200, height: 200 }} data-testid="donut" />
      <Table w="auto" withRowBorders={false} aria-label={t.statusTable}>
        <Table.Thead>
          <Table.Tr><Table.Th>{t.status}</Table.Th><Table.Th ta="right">{t.count}</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {STATUS_ORDER.map((name) => (
            <Table.Tr key={name}>
              <Table.Td>
                <Group gap={6} wrap="nowrap"><StatusIcon status={name} size={16} /><Text size="sm">{strings.statuses[name]}</Text></Group>
              </Table.Td>
              <Table.Td ta="right" data-testid={`donut-${name}`}>{summary.donut[name] ?? 0}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Group>
  );
}
