/** "Delete this group": a confirmation, then the API's answer (a group with stations or subgroups, or
 * someone's base group, stays; the dialog shows why in the API's words). */

import { Button, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Group } from "../../api";
import { groupsApi } from "../../calls/groups";
import { navigate } from "../../router";
import { strings } from "../../strings";
import { Confirm } from "./Confirm";
import { groupPath } from "./paths";

const t = strings.groups;

export function DeleteGroup({ group }: { group: Group }) {
  const [asking, setAsking] = useState(false);
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => groupsApi.remove(group.group_id),
    onSuccess: async () => {
      queries.removeQueries({ queryKey: ["groups", "details", group.group_id] });
      await Promise.all(["groups", "dashboard"].map((key) => queries.invalidateQueries({ queryKey: [key] })));
      navigate(groupPath());
    },
  });
  return (
    <Stack gap="xs" component="section" aria-labelledby="delete-group" mt="lg">
      <Title order={3} size="h4" id="delete-group">{t.deleteHeading}</Title>
      <Text size="sm">{t.deleteNote}</Text>
      <Button color="red.8" w="fit-content" onClick={() => { remove.reset(); setAsking(true); }}>{t.deleteButton}</Button>
      <Confirm opened={asking} question={t.confirmDelete(group.name)} confirm={t.yes} onConfirm={() => remove.mutate()}
        onClose={() => setAsking(false)} pending={remove.isPending} error={remove.error} />
    </Stack>
  );
}
