/** Texts of the userGroups views (part of ../strings.ts: every text the operator reads, in one place). */

export const userGroups = {
  heading: "",
};
