/** Firmware: the version the station's last boot reported, and its latest update's status (SAP help: Downloading,
 * Downloaded, Installing, Installed, or the failure). No update sent yet is a fact, not an error. */

import { Stack, Table, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { ApiError } from "../../api";
import { stationApi } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { useStation } from "./useStation";

const t = strings.station.advanced;

export function Firmware({ stationId }: { stationId: string }) {
  const station = useStation(stationId);
  const update = useQuery({
    queryKey: ["station", stationId, "firmware"],
    queryFn: () => stationApi.firmwareUpdate(stationId).catch((e) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }),
  });
  const status = update.data ? [update.data.version, update.data.status, update.data.reason].filter(Boolean).join(" – ")
    : station.data?.firmware_status ?? t.noUpdate;
  return (
    <Stack>
      <Title order={2} size="h4">{t.firmwareHeading}</Title>
      <Table variant="vertical" withTableBorder aria-label={t.firmwareHeading}>
        <Table.Tbody>
          <Table.Tr><Table.Th w={180}>{t.firmwareVersion}</Table.Th><Table.Td>{station.data?.firmware_version ?? t.unknown}</Table.Td></Table.Tr>
          <Table.Tr><Table.Th w={180}>{t.firmwareStatus}</Table.Th><Table.Td>{update.isPending ? strings.station.loading : status}</Table.Td></Table.Tr>
        </Table.Tbody>
      </Table>
      <ErrorText error={update.error ?? station.error} />
    </Stack>
  );
}
