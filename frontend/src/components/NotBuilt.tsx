/** What a view not yet in the web frontend shows: its functions are in the REST API. */

import { Alert, Text } from "@mantine/core";
import { strings } from "../strings";

export function NotBuilt() {
  return <Alert color="gray"><Text size="sm">{strings.notBuilt.text}</Text></Alert>;
}
