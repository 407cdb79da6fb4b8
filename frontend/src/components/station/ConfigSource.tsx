/** Configuration source (SAP help): Defined by System, System Values Overwritten or Defined by User, the
 * charger model's template, how many keys drift; admins revert with USE SYSTEM CONFIGURATION. */

import { Alert, Button, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { stationApi, type Configuration } from "../../calls/station";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";

const t = strings.station.advanced;

type Props = { stationId: string; config: Configuration | undefined; admin: boolean };

export function ConfigSource({ stationId, config, admin }: Props) {
  const queries = useQueryClient();
  const revert = useMutation({
    mutationFn: () => stationApi.useSystemConfiguration(stationId),
    onSettled: () => queries.invalidateQueries({ queryKey: ["station", stationId, "configuration"] }),
  });
  if (!config) return <Text>{strings.station.loading}</Text>;
  const rows: [string, string][] = [
    [t.template, config.template_id ?? t.noTemplate],
    [t.driftLabel, config.drift ? t.drift(config.drift) : t.noDrift],
  ];
  if (config.applying) rows.push(["", t.applying(config.applying)]);
  return (
    <Stack>
      <Title order={2} size="h4">{t.sourceHeading}</Title>
      <Text fw={600} data-testid="configuration-source">{config.source}</Text>
      <Text size="sm">{t.sources[config.source] ?? ""}</Text>
      <Table variant="vertical" withTableBorder aria-label={t.sourceHeading}>
        <Table.Tbody>
          {rows.map(([label, value]) => <Table.Tr key={value}><Table.Th w={180}>{label}</Table.Th><Table.Td>{value}</Table.Td></Table.Tr>)}
        </Table.Tbody>
      </Table>
      {admin && config.template_id && (
        <Button variant="default" onClick={() => revert.mutate()} loading={revert.isPending}>{t.useSystem}</Button>
      )}
      <ErrorText error={revert.error} />
      {revert.data && <Alert color="green" role="status"><Text size="sm" c="green.9">{t.systemSent(revert.data.commands.length)}</Text></Alert>}
    </Stack>
  );
}
