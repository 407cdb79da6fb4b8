/** Edit charging station (basic settings): general information and EVSE data (admins edit them), the
 * connection, registration and maintenance state, the device's boot data, and delete (it becomes an orphan). */

import { Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { BasicForm } from "./BasicForm";
import { DeleteStation } from "./DeleteStation";
import { StationState } from "./StationState";
import { useIsAdmin, useStation } from "./useStation";

export function Basic({ stationId }: { stationId: string }) {
  const station = useStation(stationId);
  const admin = useIsAdmin();
  if (station.error) return <ErrorText error={station.error} />;
  if (!station.data) return <Text>{strings.station.loading}</Text>;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Paper withBorder p="md"><BasicForm station={station.data} admin={admin} /></Paper>
      <Stack>
        <Paper withBorder p="md"><StationState station={station.data} admin={admin} /></Paper>
        {admin && !station.data.orphan && <Paper withBorder p="md"><DeleteStation station={station.data} /></Paper>}
      </Stack>
    </SimpleGrid>
  );
}
