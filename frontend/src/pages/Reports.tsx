/** Reports: the manual's filters; SHOW DATA (paged rows and the total charging volume) and EXPORT CSV (a job
 * with its progress, then the download link). Both start a report of the selection; what is shown is that report's. */

import { Button, Group, Paper, Stack } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { reportsApi } from "../calls/reports";
import { ErrorText } from "../components/ErrorText";
import { ReportFilters } from "../components/reports/ReportFilters";
import { ReportRows } from "../components/reports/ReportRows";
import { ReportStatus } from "../components/reports/ReportStatus";
import { initialFilters, toRequest } from "../components/reports/selection";
import { strings } from "../strings";

const t = strings.reports;
const POLL_MS = 1000;

type Shown = { reportId: string; rows: boolean; csv: boolean };

export function Reports(_props: { params: URLSearchParams }) {
  const [filters, setFilters] = useState(initialFilters);
  const [shown, setShown] = useState<Shown | null>(null);
  const start = useMutation({
    mutationFn: (mode: "rows" | "csv") => reportsApi.start(toRequest(filters)).then((started) => ({ started, mode })),
    onSuccess: ({ started, mode }) =>
      setShown((before) => ({
        reportId: started.report_id,
        rows: mode === "rows" || Boolean(before?.rows),
        csv: mode === "csv",
      })),
  });
  const report = useQuery({
    queryKey: ["reports", shown?.reportId],
    queryFn: () => reportsApi.get(shown!.reportId),
    enabled: shown !== null,
    refetchInterval: (query) => (query.state.data?.state === "Running" ? POLL_MS : false),
  });
  return (
    <Stack>
      <Paper withBorder p="md">
        <form onSubmit={(e) => { e.preventDefault(); start.mutate("rows"); }} noValidate>
          <ReportFilters filters={filters} onChange={setFilters} />
          <Group mt="md">
            <Button type="submit" loading={start.isPending && start.variables === "rows"}>{t.showData}</Button>
            <Button variant="outline" onClick={() => start.mutate("csv")} loading={start.isPending && start.variables === "csv"}>
              {t.exportCsv}
            </Button>
          </Group>
        </form>
      </Paper>
      <ErrorText error={start.error ?? report.error} />
      {shown && report.data && <ReportStatus report={report.data} csv={shown.csv} />}
      {shown?.rows && <ReportRows key={shown.reportId} reportId={shown.reportId} />}
    </Stack>
  );
}
