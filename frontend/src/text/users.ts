/** Texts of the users views (part of ../strings.ts: every text the operator reads, in one place). */

export const users = {
  heading: "",
};
