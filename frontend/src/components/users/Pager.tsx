/** A list's pages by the API's cursors: the search resets to the first page, NEXT PAGE follows the cursor. */

import { Button, Group, Text } from "@mantine/core";
import { useState } from "react";

export function usePages() {
  const [cursors, setCursors] = useState<string[]>([]); // cursors of the pages after the first
  return { cursor: cursors.at(-1), cursors, setCursors, reset: () => setCursors([]) };
}

type Props = {
  pages: ReturnType<typeof usePages>;
  answer: { items: unknown[]; cursor: string | null } | undefined;
  labels: { first: string; next: string; none: string };
};

/** Under a list: "none found" for an empty answer, and the page buttons. */
export function Pager({ pages, answer, labels }: Props) {
  const next = answer?.cursor;
  return (
    <>
      {answer && answer.items.length === 0 && <Text mt="sm">{labels.none}</Text>}
      <Group mt="md">
        {pages.cursors.length > 0 && <Button variant="default" onClick={pages.reset}>{labels.first}</Button>}
        {next && <Button variant="default" onClick={() => pages.setCursors([...pages.cursors, next])}>{labels.next}</Button>}
      </Group>
    </>
  );
}
