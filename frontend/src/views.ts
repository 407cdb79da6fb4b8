/** The views behind log-in, as chunks of their own: the log-in page loads only what it shows, and
 * pressing LOG IN starts loading them while the password is checked. */

import { lazy } from "react";

const loaders = {
  Shell: () => import("./components/Shell"),
  Dashboard: () => import("./pages/Dashboard"),
  Stations: () => import("./pages/Stations"),
  Account: () => import("./pages/Account"),
  Groups: () => import("./pages/Groups"),
  Operators: () => import("./pages/Operators"),
  Organization: () => import("./pages/Organization"),
  Station: () => import("./pages/Station"),
  Users: () => import("./pages/Users"),
  UserGroups: () => import("./pages/UserGroups"),
  Reports: () => import("./pages/Reports"),
  Tasks: () => import("./pages/Tasks"),
};

export const Shell = lazy(() => loaders.Shell().then((m) => ({ default: m.Shell })));
export const Dashboard = lazy(() => loaders.Dashboard().then((m) => ({ default: m.Dashboard })));
export const Stations = lazy(() => loaders.Stations().then((m) => ({ default: m.Stations })));
export const Account = lazy(() => loaders.Account().then((m) => ({ default: m.Account })));
export const Groups = lazy(() => loaders.Groups().then((m) => ({ default: m.Groups })));
export const Operators = lazy(() => loaders.Operators().then((m) => ({ default: m.Operators })));
export const Organization = lazy(() => loaders.Organization().then((m) => ({ default: m.Organization })));
export const Station = lazy(() => loaders.Station().then((m) => ({ default: m.Station })));
export const Users = lazy(() => loaders.Users().then((m) => ({ default: m.Users })));
export const UserGroups = lazy(() => loaders.UserGroups().then((m) => ({ default: m.UserGroups })));
export const Reports = lazy(() => loaders.Reports().then((m) => ({ default: m.Reports })));
export const Tasks = lazy(() => loaders.Tasks().then((m) => ({ default: m.Tasks })));

/** Fetch the shell and the dashboard now (the browser caches them for the lazy components above). */
export function preloadViews(): void {
  void loaders.Shell().catch(() => undefined);
  void loaders.Dashboard().catch(() => undefined);
}
