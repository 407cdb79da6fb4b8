/** Texts of the stationActivity views (part of ../strings.ts: every text the operator reads, in one place). */

export const stationActivity = {
  heading: "",
};
