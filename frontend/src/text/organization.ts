/** Texts of the organization views (part of ../strings.ts: every text the operator reads, in one place). */

export const organization = {
  heading: "",
};
