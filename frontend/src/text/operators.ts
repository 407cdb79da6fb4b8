/** Texts of the operators views (part of ../strings.ts: every text the operator reads, in one place). */

export const operators = {
  heading: "",
};
