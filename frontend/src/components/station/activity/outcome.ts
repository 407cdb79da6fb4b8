/** How a remote command's state reads: pending, the charger's answer, a time-out or an offline station. */

import type { Command } from "../../../calls/stationActivity";
import { strings } from "../../../strings";

const t = strings.stationActivity.commands;

// The Available icon's green: 4.5:1 or more on white and on the tables' stripes.
const SUCCESS = "#2b7a3b";

export type Outcome = { text: string; color: string; failed: boolean };

export function outcomeOf(command: Command): Outcome {
  const failed = Boolean(command.message);
  if (command.state === "Answered") {
    const status = typeof command.response?.status === "string" ? command.response.status : null;
    return { text: status ? t.answered(status) : t.answeredPlain, color: failed ? "red.9" : SUCCESS, failed };
  }
  const text = t.states[command.state] ?? command.state;
  const detail = command.state === "Failed" && command.error ? `${text}: ${command.error}` : text;
  return { text: detail, color: failed ? "red.9" : "dark.7", failed };
}

export const actionName = (action: string) => t.actions[action] ?? action;
