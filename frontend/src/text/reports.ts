/** Texts of the reports views (part of ../strings.ts: every text the operator reads, in one place). */

export const reports = {
  heading: "",
};
