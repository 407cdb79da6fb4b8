/** REFRESH CONFIGURATION: GetConfiguration, waiting for the charger's answer; then the keys are read again.
 * A charger that does not answer (or is offline) gets the manual's "Charging point configuration error.". */

import { Button, Stack } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { stationApi, taken } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";

export function RefreshConfiguration({ stationId }: { stationId: string }) {
  const queries = useQueryClient();
  const refresh = useMutation({
    mutationFn: () => stationApi.refreshConfiguration(stationId).then(taken),
    onSettled: () => queries.invalidateQueries({ queryKey: ["station", stationId, "configuration"] }),
  });
  return (
    <Stack gap="xs" align="flex-end">
      <Button onClick={() => refresh.mutate()} loading={refresh.isPending}>{strings.station.advanced.refresh}</Button>
      <ErrorText error={refresh.error} />
    </Stack>
  );
}
