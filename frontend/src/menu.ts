/** The manual's menu: path and text of each view; Operators and Schedule tasks are for admins only. */

import { strings } from "./strings";

type Item = { path: string; label: string; adminOnly?: boolean };

export const MENU: Item[] = [
  { path: "/", label: strings.menu.dashboard },
  { path: "/groups", label: strings.menu.groups },
  { path: "/stations", label: strings.menu.stations },
  { path: "/operators", label: strings.menu.operators, adminOnly: true },
  { path: "/users", label: strings.menu.users },
  { path: "/user-groups", label: strings.menu.userGroups },
  { path: "/reports", label: strings.menu.reports },
  { path: "/tasks", label: strings.menu.tasks, adminOnly: true }, // the manual: only admin operators have scheduled tasks
];
