/** Routes: the public pages (log-in, lost password, e-mailed links) and the views behind log-in. */

import { Center, Loader } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { Suspense, useEffect, type ReactNode } from "react";
import { ApiError } from "./api";
import { useAuth } from "./auth";
import { Login } from "./pages/Login";
import { LostPassword } from "./pages/LostPassword";
import { SetPassword } from "./pages/SetPassword";
import { navigate, useRoute } from "./router";
import { strings } from "./strings";
import {
  Account, Dashboard, Groups, Operators, Organization, Reports, Shell, Station, Stations, Tasks, UserGroups, Users,
} from "./views";

// Each view gets the address's query (e.g. `#/station?id=EVI1&tab=events`).
type View = { title: string | ((params: URLSearchParams) => string); view: (params: URLSearchParams) => ReactNode };

const VIEWS: Record<string, View> = {
  "/": { title: strings.menu.dashboard, view: () => <Dashboard /> },
  "/groups": { title: strings.menu.groups, view: (params) => <Groups params={params} /> },
  "/stations": { title: strings.menu.stations, view: () => <Stations /> },
  "/station": { title: (params) => strings.station.heading(params.get("id") ?? ""), view: (params) => <Station params={params} /> },
  "/operators": { title: strings.menu.operators, view: (params) => <Operators params={params} /> },
  "/users": { title: strings.menu.users, view: (params) => <Users params={params} /> },
  "/user-groups": { title: strings.menu.userGroups, view: (params) => <UserGroups params={params} /> },
  "/reports": { title: strings.menu.reports, view: (params) => <Reports params={params} /> },
  "/tasks": { title: strings.menu.tasks, view: (params) => <Tasks params={params} /> },
  "/organization": { title: strings.menu.organization, view: (params) => <Organization params={params} /> },
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
  const known = VIEWS[path] ?? VIEWS["/"];
  const title = typeof known.title === "function" ? known.title(params) : known.title;
  return (
    <Suspense fallback={<Center h="100vh"><Loader aria-label={strings.app.loading} /></Center>}>
      <Shell path={path} title={title}>{known.view(params)}</Shell>
    </Suspense>
  );
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
