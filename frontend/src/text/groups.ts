/** Texts of the groups views (part of ../strings.ts: every text the operator reads, in one place). */

export const groups = {
  heading: "",
};
