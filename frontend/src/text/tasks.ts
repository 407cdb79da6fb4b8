/** Texts of the tasks views (part of ../strings.ts: every text the operator reads, in one place). */

export const tasks = {
  heading: "",
};
