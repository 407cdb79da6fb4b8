/** The manual's remote commands: what each sends (through the commands route, or the availability route
 * that also checks a station disabled for maintenance) and which options its confirmation asks. */

import { stationActivityApi, type Command } from "../../../calls/stationActivity";

export type Kind =
  | "unlock" | "start" | "stop" | "clearCache" | "softReset" | "hardReset" | "setAvailable" | "setUnavailable" | "trigger"
  | "refreshConfiguration";

/** A command the operator asked for: `point` is the charging point (0: the whole station). */
export type Ask = { kind: Kind; point: number };

/** Options a confirmation may ask: the token of a remote start, the message (and point) of a trigger. */
export type Options = { token: string; message: string; triggerPoint: string };

export const NO_OPTIONS: Options = { token: "", message: "StatusNotification", triggerPoint: "0" };

/** The gearwheel menu of the manual, in its order (Firmware update and Get diagnostics, which follow, have
 * dialogs of their own); Trigger message, which the manual does not list, comes last. */
export const STATION_COMMANDS: Kind[] = ["clearCache", "softReset", "hardReset", "setAvailable", "setUnavailable", "refreshConfiguration"];
export const LAST_COMMANDS: Kind[] = ["trigger"];

/** What TriggerMessage may ask for (OCPP 1.6 MessageTrigger). */
export const TRIGGER_MESSAGES = [
  "BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StatusNotification",
];

/** Statuses during which a point has a session to stop (the rest offer START CHARGING). */
export const SESSION_STATUSES = new Set(["Charging", "Suspended"]);

export function send(stationId: string, { kind, point }: Ask, options: Options): Promise<Command> {
  const call = (action: string, payload: Record<string, unknown> = {}) => stationActivityApi.send(stationId, action, payload);
  switch (kind) {
    case "unlock":
      return call("UnlockConnector", { connectorId: point });
    case "start":
      return call("RemoteStartTransaction", { connectorId: point, idTag: options.token.trim() });
    case "stop":
      return call("RemoteStopTransaction", { connectorId: point }); // the API finds the point's transaction
    case "clearCache":
      return call("ClearCache");
    case "softReset":
      return call("Reset", { type: "Soft" });
    case "hardReset":
      return call("Reset", { type: "Hard" });
    case "setAvailable":
      return stationActivityApi.availability(stationId, true);
    case "setUnavailable":
      return stationActivityApi.availability(stationId, false);
    case "trigger":
      return call("TriggerMessage", triggerPayload(options));
    case "refreshConfiguration":
      return refresh(stationId);
  }
}

/** Refresh configuration goes through the configuration route (its answer is stored as the station's keys);
 * its answer is a command without times, followed like any other. */
async function refresh(stationId: string): Promise<Command> {
  const { status, ...command } = await stationActivityApi.refreshConfiguration(stationId);
  return { ...command, response: status ? { status } : null, created_at: new Date().toISOString(), completed_at: null };
}

function triggerPayload({ message, triggerPoint }: Options): Record<string, unknown> {
  const connectorId = Number(triggerPoint);
  return connectorId > 0 ? { requestedMessage: message, connectorId } : { requestedMessage: message };
}
