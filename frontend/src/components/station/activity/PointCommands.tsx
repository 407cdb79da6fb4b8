/** The station's charging points with their live status (polled, never reloaded) and each point's commands:
 * RELEASE CABLE, and START CHARGING or STOP CHARGING depending on the point's status. */

import { Button, Group, Paper, Stack, Text } from "@mantine/core";
import type { PointLive } from "../../../api";
import { strings } from "../../../strings";
import { StatusIcon } from "../../StatusIcon";
import { SESSION_STATUSES, type Ask } from "./catalog";

const t = strings.stationActivity.commands;

export function PointCommands({ points, onAsk }: { points: PointLive[]; onAsk: (ask: Ask) => void }) {
  if (points.length === 0) return <Text>{t.noPoints}</Text>;
  return (
    <Stack gap="sm">
      {points.map(({ point, status }) => {
        const label = strings.statuses[status] ?? status;
        return (
          <Paper key={point} withBorder p="sm" component="section" aria-label={strings.stationActivity.point(point)}>
            <Group justify="space-between" wrap="wrap">
              <Group gap="sm">
                <StatusIcon status={status} label={t.pointStatus(point, label)} />
                <div>
                  <Text fw={700}>{strings.stationActivity.point(point)}</Text>
                  <Text size="sm" data-testid={`point-${point}-status`}>{t.status(label)}</Text>
                </div>
              </Group>
              <Group gap="xs">
                <Button variant="default" onClick={() => onAsk({ kind: "unlock", point })}>{t.names.unlock}</Button>
                {SESSION_STATUSES.has(status)
                  ? <Button color="red.8" onClick={() => onAsk({ kind: "stop", point })}>{t.names.stop}</Button>
                  : <Button onClick={() => onAsk({ kind: "start", point })}>{t.names.start}</Button>}
              </Group>
            </Group>
          </Paper>
        );
      })}
    </Stack>
  );
}
