/** The commands sent to the station, newest first, a page at a time; read again whenever one settles
 * and every half minute. */

import { Button, Table, Text } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { stationActivityApi } from "../../../calls/stationActivity";
import { strings } from "../../../strings";
import { ErrorText } from "../../ErrorText";
import { dateTime } from "./format";
import { actionName, outcomeOf } from "./outcome";

const t = strings.stationActivity.commands;
const HISTORY_MS = 30_000;

/** `timeZone`: the organization's, once known (the browser's meanwhile). */
export function CommandHistory({ stationId, timeZone }: { stationId: string; timeZone?: string }) {
  const history = useInfiniteQuery({
    queryKey: ["stations", stationId, "command-history"],
    queryFn: ({ pageParam }) => stationActivityApi.history(stationId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.cursor ?? undefined,
    refetchInterval: HISTORY_MS, // commands of other operators and of scheduled tasks
  });
  if (history.error) return <ErrorText error={history.error} />;
  if (!history.data) return <Text>{strings.app.loading}</Text>;
  const items = history.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <Text>{t.noHistory}</Text>;
  return (
    <>
      {timeZone && <Text size="sm" mb="xs">{t.timezone(timeZone)}</Text>}
      <Table.ScrollContainer minWidth={600}>
        <Table aria-label={t.historyTable} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{strings.stationActivity.dateTime}</Table.Th><Table.Th>{t.command}</Table.Th>
              <Table.Th>{t.operator}</Table.Th><Table.Th>{t.state}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((command) => {
              const outcome = outcomeOf(command);
              return (
                <Table.Tr key={command.command_id}>
                  <Table.Td>{dateTime(command.created_at, timeZone)}</Table.Td>
                  <Table.Td>{actionName(command.action)}</Table.Td>
                  <Table.Td>{command.operator ?? t.system}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={outcome.color}>{outcome.text}</Text>
                    {command.message && <Text size="sm" c="red.9">{command.message}</Text>}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {history.hasNextPage && (
        <Button variant="default" mt="sm" loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          {strings.stationActivity.showMore}
        </Button>
      )}
    </>
  );
}
