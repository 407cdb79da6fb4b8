/** SHOW DATA: the report's rows a page at a time, in the organization's time zone (times carry its offset). */

import { Button, Group, NativeSelect, Table, Text } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { reportsApi, type ReportRow } from "../../calls/reports";
import { strings } from "../../strings";
import { ScrollBox } from "./ScrollBox";
import { ErrorText } from "../ErrorText";
import { localTime } from "./time";

const t = strings.reports;
const SIZES = ["10", "25", "50", "100"];
const NOWRAP = { whiteSpace: "nowrap" } as const;

export function ReportRows({ reportId }: { reportId: string }) {
  const [size, setSize] = useState("25");
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: ["reports", reportId, "rows", size, cursor],
    queryFn: () => reportsApi.rows(reportId, Number(size), cursor),
    placeholderData: keepPreviousData,
  });
  const rows = page.data?.rows ?? [];
  const next = page.data?.next_cursor;
  return (
    <>
      <ErrorText error={page.error} />
      <ScrollBox label={t.table} minWidth={900}>
        <Table striped aria-label={t.table}>
          <Table.Thead>
            <Table.Tr>
              {Object.values(t.columns).map((name) => <Table.Th key={name}>{name}</Table.Th>)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{rows.map((row, i) => <Row key={`${row.station_id}-${row.start}-${i}`} row={row} />)}</Table.Tbody>
        </Table>
      </ScrollBox>
      {page.isSuccess && rows.length === 0 && cursors.length === 0 && <Text mt="sm">{t.none}</Text>}
      <Group mt="md" align="end">
        <NativeSelect label={t.perPage} data={SIZES} value={size} onChange={(e) => { setSize(e.currentTarget.value); setCursors([]); }} w={200} />
        {cursors.length > 0 && <Button variant="default" onClick={() => setCursors([])}>{t.first}</Button>}
        {next && <Button variant="default" onClick={() => setCursors([...cursors, next])}>{t.next}</Button>}
      </Group>
    </>
  );
}

function Row({ row }: { row: ReportRow }) {
  return (
    <Table.Tr>
      <Table.Td>{row.charging_user}</Table.Td>
      <Table.Td>{row.token_name}</Table.Td>
      <Table.Td>{row.charging_station}</Table.Td>
      <Table.Td ta="right">{row.charging_point}</Table.Td>
      <Table.Td ta="right">{t.kwh(row.kwh)}</Table.Td>
      <Table.Td style={NOWRAP}>{localTime(row.start)}</Table.Td>
      <Table.Td style={NOWRAP}>{localTime(row.end)}</Table.Td>
      <Table.Td>{row.token_id}</Table.Td>
      <Table.Td>{row.station_id}</Table.Td>
      <Table.Td style={NOWRAP}>{t.duration(row.duration_s)}</Table.Td>
    </Table.Tr>
  );
}
