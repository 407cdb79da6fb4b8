/** An error as the operator reads it: the manual's text, and the request id of a system error. */

import { Alert, List, Text } from "@mantine/core";
import { ApiError } from "../api";
import { strings } from "../strings";

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return strings.errors.system(0);
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  const requestId = error instanceof ApiError && error.status >= 500 ? error.requestId : null;
  const fields = error instanceof ApiError ? error.fields : [];
  return (
    <Alert color="red" variant="light" role="alert" data-testid="error">
      <Text size="sm" c="red.9">{messageOf(error)}</Text>
      {fields.length > 0 && (
        <List size="sm" c="red.9">
          {fields.map((f) => <List.Item key={f.field}>{strings.errors.field(f.field, f.message)}</List.Item>)}
        </List>
      )}
      {requestId && <Text size="xs" c="dark.6">{strings.errors.requestId(requestId)}</Text>}
    </Alert>
  );
}
