/** Delete this station (V3): after a confirmation it leaves its group and becomes an orphan; back to the list. */

import { Button, Group, Modal, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { stationApi, type StationDetail } from "../../calls/station";
import { navigate } from "../../router";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";

const t = strings.station.basic;

export function DeleteStation({ station }: { station: StationDetail }) {
  const queries = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => stationApi.remove(station.station_id),
    onSuccess: () => {
      queries.invalidateQueries({ queryKey: ["stations"] });
      queries.removeQueries({ queryKey: ["station", station.station_id] });
      navigate("/stations");
    },
  });
  const close = () => { setAsking(false); remove.reset(); };
  return (
    <Stack>
      <Title order={2} size="h4">{t.deleteHeading}</Title>
      <Group><Button color="red.8" onClick={() => setAsking(true)}>{t.delete}</Button></Group>
      <Modal opened={asking} onClose={close} title={t.deleteHeading}>
        <Stack>
          <Text>{t.deleteQuestion(station.name)}</Text>
          <ErrorText error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>{t.cancel}</Button>
            <Button color="red.8" onClick={() => remove.mutate()} loading={remove.isPending}>{t.deleteConfirm}</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
