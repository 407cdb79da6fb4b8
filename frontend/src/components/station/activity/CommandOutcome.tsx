/** The latest command as it settles: polled until the charger answers, the deadline passes or the station
 * is found offline; then the history and the points' status are read again. */

import { Paper, Text, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { isOpen, stationActivityApi, type Command } from "../../../calls/stationActivity";
import { strings } from "../../../strings";
import { actionName, outcomeOf } from "./outcome";

const t = strings.stationActivity.commands;
const POLL_MS = 1000;

export function CommandOutcome({ stationId, sent }: { stationId: string; sent: Command }) {
  const queries = useQueryClient();
  const { data = sent } = useQuery({
    queryKey: ["stations", stationId, "commands", sent.command_id],
    queryFn: () => stationActivityApi.command(stationId, sent.command_id),
    initialData: sent,
    refetchInterval: (query) => (query.state.data && isOpen(query.state.data) ? POLL_MS : false),
  });
  const open = isOpen(data);
  useEffect(() => {
    void queries.invalidateQueries({ queryKey: ["stations", stationId, "command-history"] });
    if (open) return;
    void queries.invalidateQueries({ queryKey: ["stations", stationId, "status"] });
    void queries.invalidateQueries({ queryKey: ["stations", stationId, "configuration"] }); // after Refresh configuration
  }, [open, queries, stationId]);
  const outcome = outcomeOf(data);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="outcome-heading"
      style={{ borderLeft: `4px solid var(--mantine-color-${outcome.failed ? "red-8" : open ? "blue-8" : "green-8"})` }}>
      <Title order={2} size="h4" id="outcome-heading" mb="xs">{t.outcomeHeading}</Title>
      <div role="status" aria-live="polite" data-testid="command-outcome">
        <Text size="sm" c={outcome.color}>{t.outcome(actionName(data.action), outcome.text)}</Text>
        {data.message && <Text size="sm" c="red.9">{data.message}</Text>}
      </div>
    </Paper>
  );
}
