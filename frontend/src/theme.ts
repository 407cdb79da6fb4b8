/** The Mantine theme: a dark blue primary so white text on buttons keeps WCAG AA contrast; every dialog's
 * close button (an icon) is named for screen readers. */

import { createTheme } from "@mantine/core";
import { strings } from "./strings";

export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: 9,
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  components: {
    // A plain object, not Modal.extend: importing Modal here would put it on the log-in page's JavaScript.
    Modal: { defaultProps: { closeButtonProps: { "aria-label": strings.app.closeDialog } } },
  },
});
