/** An error as the operator reads it: the manual's text, and the request id of a system error. */

import { Alert, Text } from "@mantine/core";
import { ApiError } from "../api";
import { strings } from "../strings";

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return strings.errors.system(0);
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  const requestId = error instanceof ApiError && error.status >= 500 ? error.requestId : null;
  return (
    <Alert color="red" variant="light" role="alert" data-testid="error">
      <Text size="sm" c="red.9">{messageOf(error)}</Text>
      {requestId && <Text size="xs" c="dark.6">{strings.errors.requestId(requestId)}</Text>}
    </Alert>
  );
}
