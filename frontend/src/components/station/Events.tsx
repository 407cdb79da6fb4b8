/** Station tab Events: the event feed of one local day (PREVIOUS DAY / NEXT DAY, or a date picked),
 * filtered by OCPP status and error type and searched, newest first, a page at a time. Today's feed is polled. */

import { Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { stationActivityApi, type EventFilters, type EventPage, type StationEvent } from "../../calls/stationActivity";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { ERROR_TYPES, EVENT_STATUSES, errorTypeText } from "./activity/eventFilters";
import { dateTime } from "./activity/format";

const t = strings.stationActivity.events;
const TODAY_MS = 15_000;
const SEARCH_PAUSE_MS = 300;

export function Events({ stationId }: { stationId: string }) {
  const [filters, setFilters] = useState<EventFilters>({});
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), SEARCH_PAUSE_MS);
  const query = { ...filters, q };
  const feed = useInfiniteQuery({
    queryKey: ["stations", stationId, "events", query],
    queryFn: ({ pageParam }) => stationActivityApi.events(stationId, query, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.cursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.pages[0]?.next_day === null ? TODAY_MS : false),
  });
  const first = feed.data?.pages[0];
  const set = (change: EventFilters) => setFilters({ ...filters, ...change });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="events-heading">
      <Title order={2} size="h4" id="events-heading" mb="sm">{t.heading}</Title>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <TextInput type="date" label={t.day} value={filters.day ?? first?.day ?? ""} onChange={(e) => set({ day: e.currentTarget.value })} />
          <NativeSelect label={t.errorType} value={filters.error_type ?? ""} onChange={(e) => set({ error_type: e.currentTarget.value })}
            data={[{ value: "", label: t.any }, ...ERROR_TYPES.map((code) => ({ value: code, label: errorTypeText(code) }))]} />
          <NativeSelect label={t.status} value={filters.status ?? ""} onChange={(e) => set({ status: e.currentTarget.value })}
            data={[{ value: "", label: t.any }, ...EVENT_STATUSES]} />
          <TextInput type="search" label={t.search} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        </SimpleGrid>
        <ErrorText error={feed.error} />
        {first ? <Feed pages={feed.data!.pages} /> : !feed.error && <Text>{strings.app.loading}</Text>}
        {feed.hasNextPage && (
          <Button variant="default" w="fit-content" loading={feed.isFetchingNextPage} onClick={() => void feed.fetchNextPage()}>
            {strings.stationActivity.showMore}
          </Button>
        )}
        {first && (
          <Group>
            <Button variant="default" onClick={() => set({ day: first.previous_day })}>{t.previousDay}</Button>
            <Button variant="default" disabled={!first.next_day} onClick={() => set({ day: first.next_day ?? undefined })}>{t.nextDay}</Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function Feed({ pages }: { pages: EventPage[] }) {
  const { day, timezone } = pages[0];
  const items = pages.flatMap((page) => page.items);
  return (
    <>
      <Text size="sm" c="dark.6">{t.timezone(timezone)}</Text>
      {items.length === 0 ? <Text>{t.none}</Text> : (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label={t.table(day)} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t.info}</Table.Th><Table.Th>{t.point}</Table.Th><Table.Th>{t.state}</Table.Th>
                <Table.Th>{t.error}</Table.Th><Table.Th>{strings.stationActivity.dateTime}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>{items.map((event, i) => <Row key={`${event.timestamp}-${i}`} event={event} timezone={timezone} />)}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}

function Row({ event, timezone }: { event: StationEvent; timezone: string }) {
  return (
    <Table.Tr>
      <Table.Td>{event.info || t.kinds[event.kind] || event.kind}</Table.Td>
      <Table.Td>{strings.stationActivity.point(event.connector_id)}</Table.Td>
      <Table.Td>{event.status ?? ""}</Table.Td>
      <Table.Td>{event.error_type ? errorTypeText(event.error_type) : ""}</Table.Td>
      <Table.Td>{dateTime(event.timestamp, timezone)}</Table.Td>
    </Table.Tr>
  );
}
