/** The frame of the pages before log-in: the product bar and a narrow form, as in the manual. */

import { Box, Paper, Title } from "@mantine/core";
import { useEffect, type ReactNode } from "react";
import { strings } from "../strings";

export function PublicPage({ heading, children }: { heading: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${heading} – ${strings.app.product}`;
  }, [heading]);
  return (
    <Box component="main" id="main" maw={420} mx="auto" mt={60} px="md">
      <Paper withBorder shadow="sm" radius="md">
        <Box bg="blue.9" c="white" px="lg" py="sm" style={{ borderRadius: "var(--mantine-radius-md) var(--mantine-radius-md) 0 0" }}>
          <Title order={1} size="h3">{strings.app.title}</Title>
        </Box>
        <Box p="lg">
          <Title order={2} size="h4" mb="md">{heading}</Title>
          {children}
        </Box>
      </Paper>
    </Box>
  );
}
