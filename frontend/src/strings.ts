/** Every text the operator reads, in one place: a translation replaces this module's values and those of
 * ./text/ (one module per view, so that views are written side by side without touching each other). */

import { groups } from "./text/groups";
import { operators } from "./text/operators";
import { organization } from "./text/organization";
import { station } from "./text/station";
import { stationActivity } from "./text/stationActivity";
import { users } from "./text/users";
import { userGroups } from "./text/userGroups";
import { reports } from "./text/reports";
import { tasks } from "./text/tasks";

export const strings = {
  app: {
    title: "EV Cloud Administration Panel",
    product: "EV charging management",
    skipToContent: "Skip to content",
    loading: "Loading…",
    closeDialog: "Close",
  },
  login: {
    heading: "Log in",
    username: "Username:",
    password: "Password:",
    submit: "LOG IN",
    lostPassword: "LOST YOUR PASSWORD?",
  },
  lostPassword: {
    heading: "Lost password",
    intro: "Forgotten your password? Enter your email address below, and we'll email instructions for setting a new one.",
    email: "Email address:",
    submit: "RESET MY PASSWORD",
    backToLogin: "LOG IN?",
  },
  setPassword: {
    activateHeading: "Activate your account",
    resetHeading: "Set a new password",
    intro: "Choose your password.",
    password: "New password:",
    repeat: "New password again:",
    policy:
      "At least 10 characters, with at least 3 of: lower-case letters, upper-case letters, digits, other characters; it must not contain your username.",
    submit: "SET PASSWORD",
    mismatch: "The passwords do not match.",
    missingToken: "This link is not valid or has already been used.",
    activated: "Your account is activated. Log in with your username and new password.",
    reset: "Your password is set. Log in with your new password.",
    toLogin: "LOG IN",
  },
  menu: {
    label: "Main menu",
    dashboard: "Dashboard",
    groups: "Charging groups",
    stations: "Charging stations",
    operators: "Operators",
    users: "Charging users",
    userGroups: "Charging user groups",
    reports: "Reports",
    tasks: "Schedule tasks",
    logout: "Log out",
    operatorFunctions: "Operator functions",
    myAccount: "My account",
    organization: "Organization",
    toggle: "Open or close the menu",
  },
  notBuilt: {
    text: "This view is not in the web frontend yet. Its functions are in the REST API (/api/v1).",
  },
  account: {
    heading: "My account",
    username: "Username",
    organization: "Organization",
    role: "Role",
    firstName: "First name",
    lastName: "Last name",
    email: "Email address",
    save: "SAVE",
    saved: "Your information is saved.",
    passwordHeading: "Change password",
    currentPassword: "Current password",
    newPassword: "New password",
    repeatPassword: "New password again",
    changePassword: "CHANGE PASSWORD",
    passwordChanged: "Your password is changed.",
    roles: { admin: "Admin operator", basic: "Basic operator" } as Record<string, string>,
  },
  dashboard: {
    heading: "Dashboard",
    groupsHeading: "Charging groups",
    selection: "Select the charging groups to display",
    selectionApply: "SHOW",
    selectionHint: "None selected shows your base group.",
    totals: (stations: number, points: number, charging: number, issues: number) =>
      `${stations} charging stations, ${points} charging points, ${charging} charging, ${issues} with issues`,
    stationsCount: "Charging stations",
    pointsCount: "Charging points",
    chargingCount: "Charging",
    issuesCount: "Issues",
    statusHeading: "Status summary",
    statusTable: "Charging points per status",
    status: "Status",
    count: "Charging points",
    cumulativesHeading: "Cumulatives of last 24 hours",
    chargingEvents: "Charging events",
    usedPoints: "Used charging points",
    energy: "Energy charged",
    kwh: (value: number) => `${value.toLocaleString("en", { maximumFractionDigits: 1 })} kWh`,
    station: (name: string) => `Charging station ${name}`,
    point: (n: number, status: string) => `Charging point ${n}: ${status}`,
    noStations: "No charging stations in this group.",
    moreStations: (shown: number) => `The first ${shown} charging stations of each selected group are shown.`,
    updated: (time: string) => `Updated ${time}`,
    chartAlt: "Diagram; the table next to it gives the same figures.",
    consumptionHeading: "Consumption over selected timeframe",
    timeframe: "Timeframe",
    timeframes: [
      ["7", "Last 7 days"],
      ["30", "Last 30 days"],
      ["90", "Last 90 days"],
      ["365", "Last 365 days"],
    ] as [string, string][],
    showTable: "Show as a table",
    consumptionTable: "Consumption and charging events per day",
    date: "Date",
  },
  stations: {
    heading: "Charging stations",
    search: "Search",
    identifier: "Identifier",
    name: "Name",
    group: "Charging group",
    points: "Charging points",
    firmware: "Firmware",
    next: "NEXT PAGE",
    first: "FIRST PAGE",
    none: "No charging stations found.",
  },
  statuses: {
    Charging: "Charging",
    Available: "Available",
    Unavailable: "Unavailable",
    "Issue detected": "Issue detected",
    Suspended: "Suspended",
    Disabled: "Disabled",
    Offline: "Offline",
  } as Record<string, string>,
  errors: {
    // The manual's system error text; the number is the HTTP status when the API gave no text.
    system: (code: number) =>
      `Error #${code} encountered. If this error persists, please consult user manual for further actions.`,
    unreachable: "The server cannot be reached. Check your network connection and try again.",
    requestId: (id: string) => `Request id: ${id}`,
    field: (field: string, message: string) => `${field}: ${message}`,
  },
  groups,
  operators,
  organization,
  station,
  stationActivity,
  users,
  userGroups,
  reports,
  tasks,
};

export type Strings = typeof strings;
