/** Texts of the organization view (part of ../strings.ts: every text the operator reads, in one place). */

export const organization = {
  heading: "Organization",
  intro:
    "The organization's time zone sets the days of the dashboard, statistics and reports, and the local time of scheduled tasks that follow the organization's time zone. Every time is stored in UTC.",
  name: "NAME",
  timezone: "TIME ZONE",
  timezoneHint: "IANA time zone name, for example Europe/Helsinki.",
  current: "Current time zone",
  localTime: "Local time now",
  save: "SAVE CHANGES",
  saved: "The organization's settings are saved.",
  adminOnly: "Only admin operators whose base group is the whole organization can change these settings.",
};
