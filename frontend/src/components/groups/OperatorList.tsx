/** The operators of the admin's domain: status filter, search, 10 a page, edit and resend-invitation buttons. */

import { Alert, Anchor, Button, Group, NativeSelect, Table, Text, TextInput } from "@mantine/core";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { operatorsApi, type OperatorRow } from "../../calls/operators";
import { href } from "../../router";
import { strings } from "../../strings";
import { ErrorText } from "../ErrorText";

const t = strings.operators;
const PAGE = 10; // the manual: 10 elements per page

export const operatorPath = (query: Record<string, string> = {}) => {
  const params = new URLSearchParams(query);
  return params.size ? `/operators?${params}` : "/operators";
};

export function OperatorList() {
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("");
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: ["operators", "list", q.trim(), status, cursor],
    queryFn: () => operatorsApi.list({ q: q.trim() || undefined, status: status || undefined, cursor, limit: PAGE }),
    placeholderData: keepPreviousData,
  });
  const resend = useMutation({ mutationFn: operatorsApi.resendInvitation });
  const items = page.data?.items ?? [];
  return (
    <>
      <Group justify="space-between" align="flex-end" mb="md">
        <Group align="flex-end">
          <NativeSelect label={t.status} value={status} data={t.statuses.map(([value, label]) => ({ value, label }))}
            onChange={(e) => { setStatus(e.currentTarget.value); setCursors([]); }} />
          <TextInput label={t.search} value={q} type="search" maw={320}
            onChange={(e) => { setQ(e.currentTarget.value); setCursors([]); }} />
        </Group>
        <InviteButton />
      </Group>
      <ErrorText error={page.error ?? resend.error} />
      {resend.data && <Alert color="green" role="status" mb="sm"><Text size="sm" c="green.9">{resend.data.message}</Text></Alert>}
      <Table striped highlightOnHover aria-label={t.heading}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t.username}</Table.Th><Table.Th>{t.name}</Table.Th><Table.Th>{t.email}</Table.Th>
            <Table.Th>{t.statusColumn}</Table.Th><Table.Th>{t.baseGroup}</Table.Th><Table.Th ta="right">{t.actions}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((o) => <Row key={o.username} operator={o} onResend={() => resend.mutate(o.username)} />)}
        </Table.Tbody>
      </Table>
      {page.isSuccess && items.length === 0 && <Text mt="sm">{t.none}</Text>}
      <Group mt="md" justify="space-between">
        <Group>
          {cursors.length > 0 && <Button variant="default" onClick={() => setCursors([])}>{t.first}</Button>}
          {page.data?.cursor && <Button variant="default" onClick={() => setCursors([...cursors, page.data!.cursor!])}>{t.next}</Button>}
        </Group>
        <InviteButton />
      </Group>
    </>
  );
}

function InviteButton() {
  return <Button component="a" href={href(operatorPath({ invite: "1" }))}>{t.invite}</Button>;
}

function Row({ operator: o, onResend }: { operator: OperatorRow; onResend: () => void }) {
  return (
    <Table.Tr>
      <Table.Td><Anchor href={href(operatorPath({ username: o.username }))}>{o.username}</Anchor></Table.Td>
      <Table.Td>{`${o.first_name} ${o.last_name}`}</Table.Td>
      <Table.Td>{o.email}</Table.Td>
      <Table.Td>{o.activated ? o.status : t.invited}</Table.Td>
      <Table.Td>{o.base_group_name ?? ""}</Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          {!o.activated && (
            <Button size="compact-sm" variant="default" aria-label={t.resend(o.username)} title={t.resend(o.username)} onClick={onResend}>
              <span aria-hidden="true">✉</span>
            </Button>
          )}
          <Button size="compact-sm" variant="default" component="a" href={href(operatorPath({ username: o.username }))}
            aria-label={t.edit(o.username)} title={t.edit(o.username)}>
            <span aria-hidden="true">✎</span>
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
