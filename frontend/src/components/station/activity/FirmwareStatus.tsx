/** The station's latest firmware update as it moves (Requested, Accepted, Downloading, Downloaded, Installing,
 * Installed, or a failure with its reason): polled while it moves, then now and then. */

import { List, Paper, Text, Title, VisuallyHidden } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { ApiError } from "../../../api";
import { FIRMWARE_FINAL, stationActivityApi, type FirmwareUpdate } from "../../../calls/stationActivity";
import { strings } from "../../../strings";
import { ErrorText } from "../../ErrorText";
import { dateTime } from "./format";

const t = strings.stationActivity.firmware;
const MOVING_MS = 2_000;
const QUIET_MS = 60_000;

export function FirmwareStatus({ stationId, timeZone }: { stationId: string; timeZone?: string }) {
  const update = useQuery({
    queryKey: ["stations", stationId, "firmware-update"],
    // 404: none was ever sent (the panel then stays away)
    queryFn: () => stationActivityApi.firmwareUpdate(stationId).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }),
    refetchInterval: (query) => (query.state.data && !FIRMWARE_FINAL.has(query.state.data.status) ? MOVING_MS : QUIET_MS),
  });
  if (!update.error && !update.data) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="firmware-heading">
      <Title order={2} size="h4" id="firmware-heading" mb="xs">{t.heading}</Title>
      <ErrorText error={update.error} />
      {update.data && <Progressing update={update.data} timeZone={timeZone} />}
    </Paper>
  );
}

function Progressing({ update, timeZone }: { update: FirmwareUpdate; timeZone?: string }) {
  const failed = FIRMWARE_FINAL.has(update.status) && update.status !== "Installed";
  const reached = t.steps.indexOf(update.status);
  return (
    <>
      <Text size="sm">{t.summary(update.version, update.requested_by ?? strings.stationActivity.commands.system, dateTime(update.requested_at, timeZone))}</Text>
      {update.status === "Accepted" && <Text size="sm">{t.retrieve(dateTime(update.retrieve_date, timeZone))}</Text>}
      <div role="status" aria-live="polite" data-testid="firmware-status">
        <Text fw={700} c={failed ? "red.9" : undefined}>{t.status(t.statuses[update.status] ?? update.status)}</Text>
        {update.reason && <Text size="sm" c="red.9">{update.reason}</Text>}
      </div>
      {!failed && (
        <List aria-label={t.stepsLabel} size="sm" mt="xs" listStyleType="none">
          {t.steps.map((step, i) => (
            <List.Item key={step} aria-current={i === reached ? "step" : undefined} fw={i === reached ? 700 : undefined}
              c={i > reached ? "dark.5" : undefined}>
              <span aria-hidden="true">{i < reached || update.status === "Installed" ? "✓ " : i === reached ? "▶ " : "○ "}</span>{step}
              {i < reached && <VisuallyHidden>{t.stepDone}</VisuallyHidden>}
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}
