/** The station's state (SAP help): connection, last seen, registration (admins set it), maintenance
 * (any operator of the domain disables or enables it), power now, and the device's boot data. */

import { Button, Group, NativeSelect, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { stationApi, type StationDetail } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { useKeepStation } from "./useStation";

const t = strings.station.basic;
const REGISTRATIONS = ["Accepted", "Pending", "Rejected"];

export function StationState({ station, admin }: { station: StationDetail; admin: boolean }) {
  const rows: [string, string][] = [
    [t.connection, station.connected ? t.connected : t.disconnected],
    [t.lastSeen, station.last_seen_at ? strings.station.time(station.last_seen_at) : t.never],
    [t.maintenance, station.maintenance ? t.inMaintenance : t.inService],
    [t.power, station.current_power_kw === null ? "" : t.kw(station.current_power_kw)],
    [t.vendor, station.vendor ?? ""],
    [t.model, station.model ?? ""],
    [t.serial, station.serial_number ?? ""],
    [t.firmware, station.firmware_version ?? ""],
  ];
  return (
    <Stack>
      <Title order={2} size="h4">{t.stateHeading}</Title>
      <Table aria-label={t.stateHeading} variant="vertical" withTableBorder>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}><Table.Th w={180}>{label}</Table.Th><Table.Td>{value}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Registration station={station} admin={admin} />
      <Maintenance station={station} />
    </Stack>
  );
}

function Registration({ station, admin }: { station: StationDetail; admin: boolean }) {
  const keep = useKeepStation(station.station_id);
  const [value, setValue] = useState(station.registration);
  const set = useMutation({ mutationFn: () => stationApi.setRegistration(station.station_id, value), onSuccess: keep });
  if (!admin) return <Text>{`${t.registration}: ${t.registrations[station.registration] ?? station.registration}`}</Text>;
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <NativeSelect label={t.registration} value={value} onChange={(e) => setValue(e.currentTarget.value)}
          data={REGISTRATIONS.map((r) => ({ value: r, label: t.registrations[r] }))} />
        <Button variant="default" onClick={() => set.mutate()} loading={set.isPending} disabled={value === station.registration}>{t.registrationSave}</Button>
      </Group>
      <ErrorText error={set.error} />
    </Stack>
  );
}

function Maintenance({ station }: { station: StationDetail }) {
  const keep = useKeepStation(station.station_id);
  const set = useMutation({
    mutationFn: () => stationApi.setMaintenance(station.station_id, !station.maintenance),
    onSuccess: (answer) => keep(answer.station),
  });
  return (
    <Stack gap="xs">
      <Text size="sm">{t.maintenanceHint}</Text>
      <Group>
        <Button variant={station.maintenance ? "filled" : "default"} color={station.maintenance ? "green.9" : undefined}
          onClick={() => set.mutate()} loading={set.isPending}>
          {station.maintenance ? t.enable : t.disable}
        </Button>
      </Group>
      <ErrorText error={set.error} />
    </Stack>
  );
}
