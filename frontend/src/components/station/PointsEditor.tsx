/** Edit charging stations (Charging points), admins: per point 1 to 4 sockets, each a SOCKET TYPE and
 * a MAX. POWER in kW; points are numbered as the charger's OCPP connectors. */

import { Button, Group, NativeSelect, NumberInput, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { stationApi, type Socket, type StationDetail } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";
import { SaveCancel, submitWith } from "./FormButtons";
import { useKeepStation } from "./useStation";

const t = strings.station.points;
const MAX_SOCKETS = 4;
const NEW_SOCKET: Socket = { type: "Type-2", max_kw: 22 };

export function PointsEditor({ station, onDone }: { station: StationDetail; onDone: () => void }) {
  const keep = useKeepStation(station.station_id);
  const [points, setPoints] = useState<Socket[][]>(() =>
    station.points.filter((p) => p.configured).map((p) => p.sockets.map((s) => ({ ...s }))));
  const save = useMutation({
    mutationFn: () => stationApi.setPoints(station.station_id, points.map((sockets) => ({ sockets })), station.version),
    onSuccess: (saved) => { keep(saved); onDone(); },
  });
  const setPoint = (i: number, sockets: Socket[]) => setPoints(points.map((p, j) => (j === i ? sockets : p)));
  return (
    <form onSubmit={submitWith(() => save.mutate())} noValidate>
      <Stack>
        <Text size="sm">{t.hint}</Text>
        {points.map((sockets, i) => (
          <PointSockets key={i} n={i + 1} sockets={sockets} onChange={(s) => setPoint(i, s)}
            onRemove={() => setPoints(points.filter((_, j) => j !== i))} />
        ))}
        <Group><Button variant="default" onClick={() => setPoints([...points, [{ ...NEW_SOCKET }]])}>{t.addPoint}</Button></Group>
        <ErrorText error={save.error} />
        <SaveCancel onCancel={onDone} saving={save.isPending} />
      </Stack>
    </form>
  );
}

type PointProps = { n: number; sockets: Socket[]; onChange: (sockets: Socket[]) => void; onRemove: () => void };

function PointSockets({ n, sockets, onChange, onRemove }: PointProps) {
  const set = (i: number, socket: Socket) => onChange(sockets.map((s, j) => (j === i ? socket : s)));
  return (
    <Paper withBorder p="md" component="fieldset" aria-label={t.point(n)}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">{t.point(n)}</Title>
          <Button variant="subtle" color="red" c="red.9" size="compact-sm" onClick={onRemove}>{t.removePoint(n)}</Button>
        </Group>
        {sockets.map((s, i) => (
          <Group key={i} align="flex-end" role="group" aria-label={`${t.point(n)} ${t.socket(i + 1)}`}>
            <NativeSelect label={`${t.socketType} (${t.socket(i + 1)})`} data={t.socketTypes} value={s.type}
              onChange={(e) => set(i, { ...s, type: e.currentTarget.value })} />
            <NumberInput label={`${t.maxPower} (${t.socket(i + 1)})`} value={s.max_kw} min={0.1} max={1000} step={0.1} decimalScale={1}
              onChange={(v) => set(i, { ...s, max_kw: typeof v === "number" ? v : Number(v) })} />
            <Button variant="subtle" color="red" c="red.9" onClick={() => onChange(sockets.filter((_, j) => j !== i))}>{t.removeSocket(n, i + 1)}</Button>
          </Group>
        ))}
        {sockets.length < MAX_SOCKETS && (
          <Group><Button variant="default" size="compact-sm" onClick={() => onChange([...sockets, { ...NEW_SOCKET }])}>{t.addSocket}</Button></Group>
        )}
      </Stack>
    </Paper>
  );
}
