/** Texts of the reports views (part of ../strings.ts: every text the operator reads, in one place). */

const kwh = (value: number) => `${value.toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} kWh`;

export const reports = {
  intro: "Generate screen or CSV reports of energy consumption statistics of selected charging points and tokens.",
  filters: "Report filters",
  from: "FROM",
  to: "TO",
  groups: "Select charging group",
  points: "Select charging points",
  users: "Select charging user",
  userGroups: "Select charging user groups",
  tokens: "Select tokens",
  tokensHint: "No tokens selected: all charging events are included, free charging too. Type a token id or pick a listed user's token.",
  choicesHint: (limit: number) => `The first ${limit} of each list are offered.`,
  allPoints: (station: string) => `${station}: all charging points`,
  point: (station: string, point: number) => `${station}: charging point ${point}`,
  user: (first: string, last: string, email: string) => `${first} ${last} (${email})`,
  token: (id: string, name: string | null) => (name ? `${id} (${name})` : id),
  delimiter: "CSV delimiter",
  delimiters: [
    [",", "Comma (,)"],
    [";", "Semicolon (;)"],
  ] as [string, string][],
  showData: "SHOW DATA",
  exportCsv: "EXPORT CSV",
  total: "Total charging volume:",
  kwh,
  sessions: (n: number) => `${n} charging events`,
  // the job
  progressHeading: "CSV report",
  running: "Generating the report… Sometimes it takes time.",
  progress: (done: number, estimate: number) => `${done} / ${estimate} rows`,
  progressLabel: "Report progress",
  done: "The report is ready.",
  download: (file: string) => `DOWNLOAD ${file}`,
  failed: (reason: string) => `The report failed: ${reason}`,
  // the rows
  table: "Charging report",
  columns: {
    user: "Charging user",
    tokenName: "Token name",
    station: "Charging station",
    point: "Charging point",
    volume: "Charging volume",
    start: "Start date & time",
    end: "End date & time",
    tokenId: "Token id",
    stationId: "Station identifier",
    duration: "Duration",
  },
  duration: (seconds: number) => {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return `${h} h ${String(m).padStart(2, "0")} min`;
  },
  none: "No charging events in this selection.",
  perPage: "SHOW ELEMENTS PER PAGE",
  next: "NEXT PAGE",
  first: "FIRST PAGE",
};
