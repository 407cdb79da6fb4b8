/** The group statistics' table per day: kWh of each of the group's own stations and the day's charging
 * events (as the manual's "Date | EVI... | Charging events" table). */

import { Table } from "@mantine/core";
import type { GroupStatistics } from "../../calls/groups";
import { strings } from "../../strings";

const t = strings.groups;

export function StationDays({ stats }: { stats: GroupStatistics }) {
  if (stats.stations.length === 0) return null;
  const kwh = new Map(stats.stations.map((s) => [s.station_id, new Map(s.days.map((d) => [d.date, d.energy_kwh]))]));
  return (
    <details>
      <summary>{t.perStationShow}</summary>
      <Table.ScrollContainer minWidth={400}>
        <Table aria-label={t.perStation} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t.date}</Table.Th>
              {stats.stations.map((s) => <Table.Th key={s.station_id} ta="right">{s.station_id}</Table.Th>)}
              <Table.Th ta="right">{strings.dashboard.chargingEvents}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {stats.days.map((d) => (
              <Table.Tr key={d.date}>
                <Table.Td>{d.date}</Table.Td>
                {stats.stations.map((s) => (
                  <Table.Td key={s.station_id} ta="right">{(kwh.get(s.station_id)?.get(d.date) ?? 0).toLocaleString("en", { maximumFractionDigits: 2 })}</Table.Td>
                ))}
                <Table.Td ta="right">{d.sessions}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </details>
  );
}
