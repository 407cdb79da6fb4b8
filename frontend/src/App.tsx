/** Routes: the public pages (log-in, lost password, e-mailed links) and the views behind log-in. */

import { Alert, Center, Loader, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { Suspense, useEffect, type ReactNode } from "react";
import { ApiError } from "./api";
import { useAuth } from "./auth";
import { MENU } from "./menu";
import { Login } from "./pages/Login";
import { LostPassword } from "./pages/LostPassword";
import { SetPassword } from "./pages/SetPassword";
import { navigate, useRoute } from "./router";
import { strings } from "./strings";
import { Account, Dashboard, Shell, Stations } from "./views";

const VIEWS: Record<string, { title: string; view: () => ReactNode }> = {
  "/": { title: strings.menu.dashboard, view: () => <Dashboard /> },
  "/stations": { title: strings.menu.stations, view: () => <Stations /> },
  "/account": { title: strings.account.heading, view: () => <Account /> },
};

export function App() {
  const { path, params } = useRoute();
  const { operator, checking, forget } = useAuth();
  useLoggedOutOnExpiry(forget);

  if (path === "/lost-password") return <LostPassword />;
  if (path === "/activate" || path === "/reset-password") {
    return <SetPassword key={path} kind={path === "/activate" ? "activate" : "reset-password"} token={params.get("token")} />;
  }
  if (checking) return <Center h="100vh"><Loader aria-label={strings.app.loading} /></Center>;
  if (!operator || path === "/login") {
    // Log-in in place: after it the operator is on the page the address names (the dashboard for /login).
    return <Login onDone={() => path === "/login" && navigate("/", { replace: true })} />;
  }
  const known = VIEWS[path];
  const menu = MENU.find((item) => item.path === path);
  return (
    <Suspense fallback={<Center h="100vh"><Loader aria-label={strings.app.loading} /></Center>}>
      <Shell path={path} title={known?.title ?? menu?.label ?? strings.menu.dashboard}>
        {known ? known.view() : menu ? <NotBuilt /> : <Dashboard />}
      </Shell>
    </Suspense>
  );
}

function NotBuilt() {
  return <Alert color="gray"><Text size="sm">{strings.notBuilt.text}</Text></Alert>;
}

/** An answer 401 to any query (session expired, revoked) brings the log-in page back. */
function useLoggedOutOnExpiry(forget: () => void) {
  const queries = useQueryClient();
  useEffect(
    () =>
      queries.getQueryCache().subscribe((event) => {
        const error = event.query.state.error;
        if (event.type === "updated" && error instanceof ApiError && error.loggedOut) forget();
      }),
    [queries, forget],
  );
}
