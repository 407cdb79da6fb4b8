/** Station tab Remote commands: the charging points with their live status and commands, the manual's
 * ADVANCED (gearwheel) menu, each command confirmed in a dialog, its outcome as it settles, the firmware
 * update and diagnostics as they move, the history (in the organization's time zone). */

import { Button, Group, Menu, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useAuth } from "../../auth";
import { stationActivityApi, type Command } from "../../calls/stationActivity";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { LAST_COMMANDS, STATION_COMMANDS, type Ask } from "./activity/catalog";
import { CommandDialog } from "./activity/CommandDialog";
import { CommandHistory } from "./activity/CommandHistory";
import { CommandOutcome } from "./activity/CommandOutcome";
import { Diagnostics } from "./activity/Diagnostics";
import { DiagnosticsDialog } from "./activity/DiagnosticsDialog";
import { FirmwareDialog } from "./activity/FirmwareDialog";
import { FirmwareStatus } from "./activity/FirmwareStatus";
import { PointCommands } from "./activity/PointCommands";

const t = strings.stationActivity.commands;
export const STATUS_MS = 5_000; // the points' live status: a started session shows within a few seconds

type Own = "firmware" | "diagnostics"; // the menu's commands with dialogs of their own

export function Commands({ stationId }: { stationId: string }) {
  const [ask, setAsk] = useState<Ask | null>(null);
  const [own, setOwn] = useState<Own | null>(null);
  const timeZone = useQuery({ queryKey: ["organization", "timezone"], queryFn: stationActivityApi.timezone }).data;
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
          <StationMenu onAsk={setAsk} onOpen={setOwn} />
        </Group>
        <ErrorText error={status.error} />
        {status.data && !status.data.connected && <Text mb="sm" c="dark.7">{t.notConnected}</Text>}
        {status.data ? <PointCommands points={points} onAsk={setAsk} /> : !status.error && <Text>{strings.app.loading}</Text>}
      </Paper>
      {sent && <CommandOutcome key={sent.command_id} stationId={stationId} sent={sent} />}
      <FirmwareStatus stationId={stationId} timeZone={timeZone} />
      <Paper withBorder p="md" component="section" aria-labelledby="diagnostics-heading">
        <Title order={2} size="h4" id="diagnostics-heading" mb="sm">{strings.stationActivity.diagnostics.heading}</Title>
        <Diagnostics stationId={stationId} timeZone={timeZone} />
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="history-heading">
        <Title order={2} size="h4" id="history-heading" mb="sm">{t.historyHeading}</Title>
        <CommandHistory stationId={stationId} timeZone={timeZone} />
      </Paper>
      {ask && (
        <CommandDialog stationId={stationId} ask={ask} points={points.map((p) => p.point)} onClose={() => setAsk(null)}
          onSent={(command) => { setSent(command); setAsk(null); }} />
      )}
      {own === "firmware" && <FirmwareDialog stationId={stationId} timeZone={timeZone} onClose={() => setOwn(null)} />}
      {own === "diagnostics" && <DiagnosticsDialog stationId={stationId} timeZone={timeZone} onClose={() => setOwn(null)} />}
    </Stack>
  );
}

function StationMenu({ onAsk, onOpen }: { onAsk: (ask: Ask) => void; onOpen: (own: Own) => void }) {
  const admin = useAuth().operator?.role === "admin"; // firmware updates are for admins only
  const item = (kind: Ask["kind"]) => <Menu.Item key={kind} onClick={() => onAsk({ kind, point: 0 })}>{t.names[kind]}</Menu.Item>;
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" leftSection={<span aria-hidden="true">⚙</span>}>{t.advanced}</Button>
      </Menu.Target>
      <Menu.Dropdown>
        {STATION_COMMANDS.map(item)}
        {admin && <Menu.Item onClick={() => onOpen("firmware")}>{t.firmwareMenu}</Menu.Item>}
        <Menu.Item onClick={() => onOpen("diagnostics")}>{t.diagnosticsMenu}</Menu.Item>
        {LAST_COMMANDS.map(item)}
      </Menu.Dropdown>
    </Menu>
  );
}
