/** A charging group picker: the domain's tree as an indented list (used for parent and base groups). */

import { NativeSelect } from "@mantine/core";
import type { Group } from "../../api";

type Props = {
  label: string;
  groups: Group[];
  value: string;
  onChange: (groupId: string) => void;
  placeholder?: string; // an empty first choice ("Select charging group")
  exclude?: Set<string>;
  description?: string;
  disabled?: boolean;
  required?: boolean;
};

const INDENT = "\u00a0\u00a0\u00a0"; // non-breaking: an option's text keeps its leading spaces

export function GroupSelect({ label, groups, value, onChange, placeholder, exclude, description, disabled, required }: Props) {
  const options = groups
    .filter((g) => !exclude?.has(g.group_id))
    .map((g) => ({ value: g.group_id, label: INDENT.repeat(g.depth) + g.name }));
  const data = placeholder === undefined ? options : [{ value: "", label: placeholder }, ...options];
  return (
    <NativeSelect label={label} value={value} data={data} description={description} disabled={disabled} required={required}
      onChange={(e) => onChange(e.currentTarget.value)} />
  );
}

/** The group and every group under it (a group cannot move under its own subtree). */
export function subtreeOf(groups: Group[], rootId: string): Set<string> {
  const found = new Set([rootId]);
  for (const g of groups) if (g.parent_id && found.has(g.parent_id)) found.add(g.group_id); // depth first: parents come first
  return found;
}
