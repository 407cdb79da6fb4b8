/** The views behind log-in, as chunks of their own: the log-in page loads only what it shows, and
 * pressing LOG IN starts loading them while the password is checked. */

import { lazy } from "react";

const loaders = {
  Shell: () => import("./components/Shell"),
  Dashboard: () => import("./pages/Dashboard"),
  Stations: () => import("./pages/Stations"),
  Account: () => import("./pages/Account"),
};

export const Shell = lazy(() => loaders.Shell().then((m) => ({ default: m.Shell })));
export const Dashboard = lazy(() => loaders.Dashboard().then((m) => ({ default: m.Dashboard })));
export const Stations = lazy(() => loaders.Stations().then((m) => ({ default: m.Stations })));
export const Account = lazy(() => loaders.Account().then((m) => ({ default: m.Account })));

/** Fetch the shell and the dashboard now (the browser caches them for the lazy components above). */
export function preloadViews(): void {
  void loaders.Shell().catch(() => undefined);
  void loaders.Dashboard().catch(() => undefined);
}
