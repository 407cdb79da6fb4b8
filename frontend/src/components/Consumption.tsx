/** Consumption over the selected timeframe: the chart, and the same figures as a table to open. */

import { Table } from "@mantine/core";
import type { Dashboard } from "../api";
import { useChart } from "../charts/useChart";
import { strings } from "../strings";

const t = strings.dashboard;
const loadConsumption = () =>
  import("../charts/consumption").then((m) => (el: HTMLElement, days: Dashboard["days"]) =>
    m.drawConsumption(el, days, { energy: t.energy, events: t.chargingEvents }));

export function Consumption({ days }: { days: Dashboard["days"] }) {
  const chart = useChart(loadConsumption, days);

  return (
    <>
      <div ref={chart} role="img" aria-label={t.chartAlt} style={{ width: "100%", height: 260 }} data-testid="consumption" />
      <details>
        <summary>{t.showTable}</summary>
        <Table aria-label={t.consumptionTable} striped>
          <Table.Thead>
            <Table.Tr><Table.Th>{t.date}</Table.Th><Table.Th ta="right">{t.energy}</Table.Th><Table.Th ta="right">{t.chargingEvents}</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {days.map((d) => (
              <Table.Tr key={d.date}>
                <Table.Td>{d.date}</Table.Td><Table.Td ta="right">{t.kwh(d.energy_kwh)}</Table.Td><Table.Td ta="right">{d.sessions}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </details>
    </>
  );
}
