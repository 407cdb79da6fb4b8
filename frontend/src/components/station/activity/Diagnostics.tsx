/** The station's diagnostics requests with their status (polled while one is on its way) and a DOWNLOAD
 * of each uploaded file: a short-lived link the API signs, opened at once. */

import { Button, Table, Text } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { DIAGNOSTICS_FINAL, stationActivityApi, type DiagnosticsRequest } from "../../../calls/stationActivity";
import { strings } from "../../../strings";
import { ErrorText } from "../../ErrorText";
import { dateTime } from "./format";

const t = strings.stationActivity.diagnostics;
const MOVING_MS = 2_000; // an upload takes seconds
const QUIET_MS = 30_000; // requests of other operators

export function Diagnostics({ stationId, timeZone }: { stationId: string; timeZone?: string }) {
  const list = useQuery({
    queryKey: ["stations", stationId, "diagnostics"],
    queryFn: () => stationActivityApi.diagnostics(stationId),
    refetchInterval: (query) => (query.state.data?.some((r) => !DIAGNOSTICS_FINAL.has(r.status)) ? MOVING_MS : QUIET_MS),
  });
  const download = useMutation({
    mutationFn: (requestId: string) => stationActivityApi.diagnosticsDownload(stationId, requestId),
    onSuccess: ({ url }) => follow(url),
  });
  if (list.error) return <ErrorText error={list.error} />;
  if (!list.data) return <Text>{strings.app.loading}</Text>;
  if (list.data.length === 0) return <Text>{t.none}</Text>;
  return (
    <>
      <ErrorText error={download.error} />
      <Table.ScrollContainer minWidth={600}>
        <Table aria-label={t.table} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t.requested}</Table.Th><Table.Th>{strings.stationActivity.commands.operator}</Table.Th>
              <Table.Th>{t.file}</Table.Th><Table.Th>{strings.stationActivity.commands.state}</Table.Th><Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((request) => (
              <Row key={request.request_id} request={request} timeZone={timeZone}
                loading={download.isPending && download.variables === request.request_id} onDownload={() => download.mutate(request.request_id)} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

/** Opens the link in this window: the file comes as an attachment, so the page stays. */
function follow(url: string) {
  const link = document.createElement("a");
  link.href = url;
  link.click();
}

type RowProps = { request: DiagnosticsRequest; timeZone?: string; loading: boolean; onDownload: () => void };

function Row({ request, timeZone, loading, onDownload }: RowProps) {
  const failed = request.status === "UploadFailed" || request.status === "Failed";
  return (
    <Table.Tr>
      <Table.Td>{dateTime(request.requested_at, timeZone)}</Table.Td>
      <Table.Td>{request.requested_by}</Table.Td>
      <Table.Td>{request.file_name ?? ""}</Table.Td>
      <Table.Td>
        <Text size="sm" c={failed ? "red.9" : undefined}>{t.statuses[request.status] ?? request.status}</Text>
        {request.reason && <Text size="sm" c="red.9">{request.reason}</Text>}
      </Table.Td>
      <Table.Td>
        {request.status === "Uploaded" && (
          <Button size="xs" variant="default" loading={loading} onClick={onDownload}
            aria-label={t.downloadLabel(request.file_name ?? dateTime(request.requested_at, timeZone))}>{t.download}</Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
