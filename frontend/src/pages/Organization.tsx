/** Organization (operator functions, admins): the organization's name and IANA time zone, which the
 * dashboard's days, reports and the scheduled tasks set to the organization's time follow. */

import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useAuth } from "../auth";
import { organizationApi, type OrganizationData } from "../calls/organization";
import { ErrorText } from "../components/ErrorText";
import { strings } from "../strings";

const t = strings.organization;

export function Organization(_props: { params: URLSearchParams }) {
  const organization = useQuery({ queryKey: ["organization"], queryFn: organizationApi.get });
  if (organization.error) return <ErrorText error={organization.error} />;
  if (!organization.data) return <Text>{strings.app.loading}</Text>;
  return <Settings data={organization.data} />;
}

/** Every IANA zone the browser knows, with UTC and the saved one even when the browser lists neither. */
export function zoneNames(saved: string): string[] {
  const known = new Set(Intl.supportedValuesOf("timeZone"));
  known.add("UTC");
  known.add(saved);
  return [...known].sort();
}

function localTime(zone: string): string {
  try {
    return new Date().toLocaleString("en-GB", { timeZone: zone, dateStyle: "medium", timeStyle: "short" });
  } catch {
    return "";
  }
}

function Settings({ data }: { data: OrganizationData }) {
  const { operator } = useAuth();
  const admin = operator?.role === "admin";
  const queries = useQueryClient();
  const [name, setName] = useState(data.name);
  const [zone, setZone] = useState(data.timezone);
  useEffect(() => { setName(data.name); setZone(data.timezone); }, [data]);
  const zones = useMemo(() => zoneNames(data.timezone), [data.timezone]);
  const save = useMutation({
    mutationFn: () => organizationApi.update({ name, timezone: zone, version: data.version }),
    onSuccess: (saved) => {
      queries.setQueryData(["organization"], saved);
      return queries.invalidateQueries({ queryKey: ["dashboard"] }); // its days follow the zone
    },
  });

  return (
    <Paper withBorder p="md" maw={640}>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} noValidate>
        <Stack>
          <Text size="sm">{t.intro}</Text>
          <Group component="dl" gap="xl" my={0}>
            <div>
              <Text component="dt" size="sm" c="dark.6">{t.current}</Text>
              <Text component="dd" m={0} fw={700} data-testid="current-timezone">{data.timezone}</Text>
            </div>
            <div>
              <Text component="dt" size="sm" c="dark.6">{t.localTime}</Text>
              <Text component="dd" m={0} fw={700}>{localTime(data.timezone)}</Text>
            </div>
          </Group>
          <TextInput label={t.name} value={name} onChange={(e) => setName(e.currentTarget.value)} required readOnly={!admin} />
          <NativeSelect label={t.timezone} description={t.timezoneHint} value={zone} disabled={!admin}
            onChange={(e) => setZone(e.currentTarget.value)} data={zones} />
          <ErrorText error={save.error} />
          {save.isSuccess && <Alert color="green" role="status"><Text size="sm" c="green.9">{t.saved}</Text></Alert>}
          {admin ? <Button type="submit" loading={save.isPending} w="fit-content">{t.save}</Button> : <Text size="sm">{t.adminOnly}</Text>}
        </Stack>
      </form>
    </Paper>
  );
}
