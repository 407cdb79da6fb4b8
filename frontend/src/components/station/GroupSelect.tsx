/** A charging group of the operator's domain, chosen from its tree (indented by depth). */

import { NativeSelect } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api";

type Props = { label: string; value: string; onChange: (groupId: string) => void; empty: string; description?: string };

export function GroupSelect({ label, value, onChange, empty, description }: Props) {
  const tree = useQuery({ queryKey: ["groups", "tree"], queryFn: api.groupTree });
  const options = [
    { value: "", label: empty },
    ...(tree.data?.items ?? []).map((g) => ({ value: g.group_id, label: `${"\u00a0\u00a0".repeat(g.depth)}${g.name}` })),
  ];
  return (
    <NativeSelect label={label} description={description} data={options} value={value}
      onChange={(e) => onChange(e.currentTarget.value)} />
  );
}
