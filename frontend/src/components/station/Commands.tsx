/** Station tab Remote commands: the charging points with their live status and commands, the manual's
 * ADVANCED (gearwheel) menu, each command confirmed in a dialog, its outcome as it settles, the history. */

import { Button, Group, Menu, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { stationActivityApi, type Command } from "../../calls/stationActivity";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { STATION_COMMANDS, type Ask } from "./activity/catalog";
import { CommandDialog } from "./activity/CommandDialog";
import { CommandHistory } from "./activity/CommandHistory";
import { CommandOutcome } from "./activity/CommandOutcome";
import { PointCommands } from "./activity/PointCommands";

const t = strings.stationActivity.commands;
export const STATUS_MS = 5_000; // the points' live status: a started session shows within a few seconds

export function Commands({ stationId }: { stationId: string }) {
  const [ask, setAsk] = useState<Ask | null>(null);
  const [sent, setSent] = useState<Command | null>(null);
  const status = useQuery({
    queryKey: ["stations", stationId, "status"],
    queryFn: () => stationActivityApi.status(stationId),
    refetchInterval: STATUS_MS,
  });
  const points = status.data?.points ?? [];
  return (
    <Stack>
      <Paper withBorder p="md" component="section" aria-labelledby="points-heading">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="points-heading">{t.pointsHeading}</Title>
          <StationMenu onAsk={setAsk} />
        </Group>
        <ErrorText error={status.error} />
        {status.data && !status.data.connected && <Text mb="sm" c="dark.7">{t.notConnected}</Text>}
        {status.data ? <PointCommands points={points} onAsk={setAsk} /> : !status.error && <Text>{strings.app.loading}</Text>}
      </Paper>
      {sent && <CommandOutcome key={sent.command_id} stationId={stationId} sent={sent} />}
      <Paper withBorder p="md" component="section" aria-labelledby="history-heading">
        <Title order={2} size="h4" id="history-heading" mb="sm">{t.historyHeading}</Title>
        <CommandHistory stationId={stationId} />
      </Paper>
      {ask && (
        <CommandDialog stationId={stationId} ask={ask} points={points.map((p) => p.point)} onClose={() => setAsk(null)}
          onSent={(command) => { setSent(command); setAsk(null); }} />
      )}
    </Stack>
  );
}

function StationMenu({ onAsk }: { onAsk: (ask: Ask) => void }) {
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" leftSection={<span aria-hidden="true">⚙</span>}>{t.advanced}</Button>
      </Menu.Target>
      <Menu.Dropdown>
        {STATION_COMMANDS.map((kind) => (
          <Menu.Item key={kind} onClick={() => onAsk({ kind, point: 0 })}>{t.names[kind]}</Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
