/** A report's state: the total charging volume, the job's progress while it runs (rows done / estimate),
 * the CSV's download link when Done, the reason when Failed. */

import { Alert, Anchor, Group, Progress, Stack, Text } from "@mantine/core";
import type { Report } from "../../calls/reports";
import { strings } from "../../strings";

const t = strings.reports;

export function ReportStatus({ report, csv }: { report: Report; csv: boolean }) {
  return (
    <Stack gap="xs">
      {report.state === "Done" && (
        <Group gap="xs">
          <Text>{t.total}</Text>
          <Text fw={700} data-testid="report-total">{t.kwh(report.total_kwh)}</Text>
          <Text c="dimmed" size="sm">({t.sessions(report.session_count)})</Text>
        </Group>
      )}
      {report.state === "Running" && <JobProgress report={report} />}
      {report.state === "Failed" && (
        <Alert color="red" variant="light" role="alert">
          <Text size="sm" c="red.9">{t.failed(report.error ?? "")}</Text>
        </Alert>
      )}
      {csv && report.state === "Done" && report.download_url && (
        <Alert color="green" variant="light" role="status">
          <Text size="sm">{t.done}</Text>
          <Anchor href={report.download_url} download={report.file_name} fw={600} c="blue.9">{t.download(report.file_name)}</Anchor>
        </Alert>
      )}
    </Stack>
  );
}

function JobProgress({ report }: { report: Report }) {
  const estimate = Math.max(report.estimate, report.rows_done);
  const percent = estimate > 0 ? Math.round((100 * report.rows_done) / estimate) : 0;
  return (
    <Stack gap={4} role="status" data-testid="report-progress">
      <Text size="sm">{t.running}</Text>
      <Progress value={percent} aria-label={t.progressLabel} animated size="lg" />
      <Text size="sm">{t.progress(report.rows_done, estimate)}</Text>
    </Stack>
  );
}
