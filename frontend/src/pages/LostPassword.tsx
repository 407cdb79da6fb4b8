/** Lost password: e-mail a reset link; the API answers the same for any address. */

import { Alert, Anchor, Button, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { api } from "../api";
import { ErrorText } from "../components/ErrorText";
import { PublicPage } from "../components/PublicPage";
import { href } from "../router";
import { strings } from "../strings";

export function LostPassword() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const t = strings.lostPassword;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSent((await api.lostPassword(email.trim())).message);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <PublicPage heading={t.heading}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t.intro}</Text>
          <TextInput label={t.email} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoComplete="email" required />
          <ErrorText error={error} />
          {sent && <Alert color="green" role="status"><Text size="sm" c="green.9">{sent}</Text></Alert>}
          <Button type="submit" loading={busy}>{t.submit}</Button>
          <Anchor href={href("/login")} size="sm">{t.backToLogin}</Anchor>
        </Stack>
      </form>
    </PublicPage>
  );
}
