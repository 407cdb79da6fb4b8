/** The Mantine theme: a dark blue primary so white text on buttons keeps WCAG AA contrast. */

import { createTheme } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: 9,
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
});
