/** The manual's trail above a view ("Home / Charging groups / 150 / Edit charging group"): each step but
 * the last is a link. */

import { Anchor, Breadcrumbs, Text } from "@mantine/core";
import { href } from "../../router";
import { strings } from "../../strings";

export function Crumbs({ steps }: { steps: [string, string?][] }) {
  const all: [string, string?][] = [[strings.groups.home, "/"], ...steps];
  return (
    <nav aria-label={strings.groups.breadcrumb}>
      <Breadcrumbs mb="sm" separator="/">
        {all.map(([label, path], i) =>
          path && i < all.length - 1
            ? <Anchor key={i} href={href(path)} size="sm">{label}</Anchor>
            : <Text key={i} size="sm" aria-current={i === all.length - 1 ? "page" : undefined}>{label}</Text>)}
      </Breadcrumbs>
    </nav>
  );
}
