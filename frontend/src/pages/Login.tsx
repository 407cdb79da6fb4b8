/** Log in (the manual's log-in form): username, password, LOG IN, LOST YOUR PASSWORD?. */

import { Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useAuth } from "../auth";
import { ErrorText } from "../components/ErrorText";
import { PublicPage } from "../components/PublicPage";
import { href } from "../router";
import { strings } from "../strings";
import { preloadViews } from "../views";

export function Login({ onDone }: { onDone?: () => void }) {
  const { logIn } = useAuth();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const t = strings.login;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    preloadViews(); // while the password is checked (Argon2 takes most of a second)
    try {
      await logIn(username.trim(), password);
      onDone?.();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <PublicPage heading={t.heading}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t.username} value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="username" required />
          <PasswordInput label={t.password} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" required />
          <ErrorText error={error} />
          <Button type="submit" loading={busy}>{t.submit}</Button>
          <Anchor href={href("/lost-password")} size="sm">{t.lostPassword}</Anchor>
        </Stack>
      </form>
    </PublicPage>
  );
}
