/** The status donut and its table (the text alternative); the chart library loads on first use. */

import { Group, Table, Text } from "@mantine/core";
import { useEffect, useRef } from "react";
import type { Summary } from "../api";
import { STATUS_ORDER } from "../status";
import { strings } from "../strings";
import { StatusIcon } from "./StatusIcon";

const t = strings.dashboard;

export function Donut({ summary }: { summary: Summary }) {
  const chart = useRef<HTMLDivElement>(null);
  const slices = STATUS_ORDER.map((name) => ({ name, value: summary.donut[name] ?? 0 })).filter((s) => s.value > 0);
  const key = JSON.stringify(slices);

  useEffect(() => {
    let dispose: (() => void) | undefined;
    let gone = false;
    // A box without size (jsdom in the component tests) gets no chart: the table says it all.
    if (!chart.current || chart.current.clientWidth === 0) return;
    import("../charts/donut").then(({ drawDonut }) => {
      if (!gone && chart.current) dispose = drawDonut(chart.current, JSON.parse(key));
    });
    return () => { gone = true; dispose?.(); };
  }, [key]);

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
