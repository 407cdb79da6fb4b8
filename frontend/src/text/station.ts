/** Texts of one charging station's view and its tabs (part of ../strings.ts: every text the operator reads, in one place). */

export const station = {
  heading: (id: string) => `Charging station ${id}`,
  tabsLabel: "Charging station sections",
  tabs: {
    basic: "Basic settings",
    advanced: "Advanced settings",
    points: "Charging points",
    commands: "Remote commands",
    events: "Events",
    statistics: "Statistics",
  },
  missing: "No charging station was named in the address.",
};
