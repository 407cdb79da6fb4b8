/** What the event feed can be filtered by (the API's OCPP 1.6 lists) and how an OCPP code reads. */

export const EVENT_STATUSES = [
  "Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted",
  "Downloaded", "DownloadFailed", "Downloading", "Idle", "InstallationFailed", "Installing", "Installed",
  "Uploaded", "UploadFailed", "Uploading",
];

export const ERROR_TYPES = [
  "NoError", "ConnectorLockFailure", "EVCommunicationError", "GroundFailure", "HighTemperature", "InternalError",
  "LocalListConflict", "OtherError", "OverCurrentFailure", "OverVoltage", "PowerMeterFailure", "PowerSwitchFailure",
  "ReaderFailure", "ResetFailure", "UnderVoltage", "WeakSignal",
];

/** "OtherError" as the manual shows it: "Other error" (an abbreviation such as EV stays upper case). */
export function errorTypeText(code: string): string {
  const words = code.match(/[A-Z]+(?![a-z])|[A-Z][a-z]*/g) ?? [code];
  return words.map((w, i) => (i > 0 && w.length > 1 && w !== w.toUpperCase() ? w.toLowerCase() : w)).join(" ");
}
