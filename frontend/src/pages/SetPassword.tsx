/** Choose a password from an e-mailed link: `#/activate?token=` (invitation) or `#/reset-password?token=`. */

import { Alert, Button, PasswordInput, Stack, Text } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api";
import { ErrorText } from "../components/ErrorText";
import { PublicPage } from "../components/PublicPage";
import { href } from "../router";
import { strings } from "../strings";

type Kind = "activate" | "reset-password";

export function SetPassword({ kind, token }: { kind: Kind; token: string | null }) {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<unknown>(token ? null : new ApiError(404, strings.setPassword.missingToken));
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const t = strings.setPassword;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    if (password !== repeat) {
      setError(new ApiError(400, t.mismatch));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.setPassword(kind, token, password);
      setDone(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const heading = kind === "activate" ? t.activateHeading : t.resetHeading;
  if (done) {
    return (
      <PublicPage heading={heading}>
        <Stack>
          <Alert color="green" role="status"><Text size="sm" c="green.9">{kind === "activate" ? t.activated : t.reset}</Text></Alert>
          <Button component="a" href={href("/login")}>{t.toLogin}</Button>
        </Stack>
      </PublicPage>
    );
  }
  return (
    <PublicPage heading={heading}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t.intro}</Text>
          <PasswordInput label={t.password} description={t.policy} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" required disabled={!token} />
          <PasswordInput label={t.repeat} value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} autoComplete="new-password" required disabled={!token} />
          <ErrorText error={error} />
          <Button type="submit" loading={busy} disabled={!token}>{t.submit}</Button>
        </Stack>
      </form>
    </PublicPage>
  );
}
