import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { session } from "../api";
import { Commands } from "../components/station/Commands";
import { Events } from "../components/station/Events";
import { Statistics } from "../components/station/Statistics";
import { zonedToIso } from "../components/station/activity/format";
import { mockApi, renderApp } from "./render";

const ID = "EVI00000015";
const BASE = `/stations/${ID}`;
const STATUS = {
  station_id: ID, connected: true,
  points: [
    { point: 1, status: "Available", ocpp_status: "Available", error_code: "NoError" },
    { point: 2, status: "Charging", ocpp_status: "Charging", error_code: "NoError" },
  ],
};
const command = (state: string, extra: object = {}) => ({
  command_id: "c1", station_id: ID, action: "RemoteStartTransaction", payload: {}, state, response: null, error: null,
  succeeded: false, message: null, operator: "acme-admin", created_at: "2026-11-26T10:00:00Z", deadline_at: null, completed_at: null,
  ...extra,
});
const FAILED = "Remote command execution failed.";
const MISSING = "Charging station does not exist.";

describe("remote commands", () => {
  it("starts charging with a token and shows the outcome as it settles, then in the history", async () => {
    let answered = false;
    const calls = mockApi({
      [`GET ${BASE}/status`]: [200, STATUS],
      [`GET ${BASE}/commands`]: () => [200, { items: answered ? [command("Answered", { response: { status: "Accepted" }, succeeded: true })] : [], cursor: null }],
      [`POST ${BASE}/commands`]: [202, command("Pending")],
      [`GET ${BASE}/commands/c1`]: () => {
        answered = true;
        return [200, command("Answered", { response: { status: "Accepted" }, succeeded: true })];
      },
    });
    renderApp(<Commands stationId={ID} />);
    const point1 = await screen.findByRole("region", { name: "Charging point #1" });
    expect(within(point1).getByText("Status: Available")).toBeTruthy();
    // A point with a session offers STOP CHARGING instead of START CHARGING.
    const point2 = screen.getByRole("region", { name: "Charging point #2" });
    expect(within(point2).getByRole("button", { name: "STOP CHARGING" })).toBeTruthy();
    expect(within(point2).queryByRole("button", { name: "START CHARGING" })).toBeNull();
    expect(await screen.findByText("No remote commands have been sent to this charging station.")).toBeTruthy();

    await userEvent.click(within(point1).getByRole("button", { name: "START CHARGING" }));
    const dialog = await screen.findByRole("dialog", { name: "START CHARGING" });
    expect(within(dialog).getByText("Start charging on charging point #1 with the charging user's token?")).toBeTruthy();
    await userEvent.type(within(dialog).getByLabelText(/TOKEN \(RFID\)/), "12345678");
    await userEvent.click(within(dialog).getByRole("button", { name: "SEND COMMAND" }));

    const outcome = await screen.findByTestId("command-outcome");
    expect(await within(outcome).findByText("Start charging: Answered: Accepted", {}, { timeout: 5000 })).toBeTruthy();
    const sent = calls.find((c) => c.method === "POST")!;
    expect(sent.body).toEqual({ action: "RemoteStartTransaction", payload: { connectorId: 1, idTag: "12345678" } });
    expect(sent.url).toContain("wait=3");
    const history = await screen.findByRole("table", { name: /Remote commands sent/ });
    expect(within(history).getByText("Start charging")).toBeTruthy();
    expect(within(history).getByText("acme-admin")).toBeTruthy();
  });

  it("keeps the API's refusal of a remote start in the dialog", async () => {
    const refusal = `${FAILED} The charging station is disabled or its registration is not Accepted.`;
    mockApi({
      [`GET ${BASE}/status`]: [200, STATUS],
      [`GET ${BASE}/commands`]: [200, { items: [], cursor: null }],
      [`POST ${BASE}/commands`]: [409, { message: refusal }],
    });
    renderApp(<Commands stationId={ID} />);
    const point1 = await screen.findByRole("region", { name: "Charging point #1" });
    await userEvent.click(within(point1).getByRole("button", { name: "START CHARGING" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText(/TOKEN \(RFID\)/), "12345678");
    await userEvent.click(within(dialog).getByRole("button", { name: "SEND COMMAND" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe(refusal);
  });

  it("sends a hard reset from the ADVANCED menu and shows a station that is not connected", async () => {
    const calls = mockApi({
      [`GET ${BASE}/status`]: [200, { ...STATUS, connected: false }],
      [`GET ${BASE}/commands`]: [200, { items: [], cursor: null }],
      [`POST ${BASE}/commands`]: [202, command("Offline", { action: "Reset", error: "Charging station is not connected.", message: FAILED })],
    });
    renderApp(<Commands stationId={ID} />);
    expect(await screen.findByText("The charging station is not connected: remote commands to it fail until it connects.")).toBeTruthy();
    await userEvent.click(await screen.findByRole("button", { name: /ADVANCED/ }));
    await userEvent.click(await screen.findByText("Hard reset"));
    const dialog = await screen.findByRole("dialog", { name: "Hard reset" });
    expect(within(dialog).getByText(/Restart the whole charging station\?/)).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: "SEND COMMAND" }));
    const outcome = await screen.findByTestId("command-outcome");
    expect(within(outcome).getByText("Reset: Charging station is not connected.")).toBeTruthy();
    expect(within(outcome).getByText(FAILED)).toBeTruthy();
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ action: "Reset", payload: { type: "Hard" } });
  });

  it("asks which message to trigger and shows a command that timed out", async () => {
    const timedOut = command("TimedOut", { action: "TriggerMessage", error: "No answer from the charging station before the deadline.", message: FAILED });
    const calls = mockApi({
      [`GET ${BASE}/status`]: [200, STATUS],
      [`GET ${BASE}/commands`]: [200, { items: [timedOut], cursor: null }],
      [`POST ${BASE}/commands`]: [202, timedOut],
    });
    renderApp(<Commands stationId={ID} />);
    await userEvent.click(await screen.findByRole("button", { name: /ADVANCED/ }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Trigger message", hidden: true }));
    const dialog = await screen.findByRole("dialog", { name: "Trigger message" });
    await userEvent.selectOptions(within(dialog).getByLabelText("Message"), "MeterValues");
    await userEvent.selectOptions(within(dialog).getByLabelText("Charging point"), "Charging point #2");
    await userEvent.click(within(dialog).getByRole("button", { name: "SEND COMMAND" }));
    const outcome = await screen.findByTestId("command-outcome");
    expect(within(outcome).getByText("Trigger message: Timed out: no answer from the charging station")).toBeTruthy();
    expect(within(outcome).getByText(FAILED)).toBeTruthy();
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({
      action: "TriggerMessage", payload: { requestedMessage: "MeterValues", connectorId: 2 },
    });
  });

  it("shows the API's error when the station is not there", async () => {
    mockApi({ [`GET ${BASE}/status`]: [404, { message: MISSING }], [`GET ${BASE}/commands`]: [404, { message: MISSING }] });
    renderApp(<Commands stationId={ID} />);
    const alerts = await screen.findAllByRole("alert");
    expect(alerts.map((a) => a.textContent)).toContain(MISSING);
  });
});

const EVENTS = {
  day: "2026-11-26", timezone: "Europe/Helsinki", previous_day: "2026-11-25", next_day: null, cursor: null,
  items: [
    { info: null, connector_id: 1, status: "Charging", error_type: "NoError", vendor_error_code: null, timestamp: "2026-11-26T08:55:00Z", kind: "StatusNotification" },
    { info: "could not handle command", connector_id: 0, status: "Available", error_type: "OtherError", vendor_error_code: null, timestamp: "2026-11-26T07:49:00Z", kind: "StatusNotification" },
  ],
};

describe("event feed", () => {
  it("shows the day's events as the manual does and filters them by status", async () => {
    const calls = mockApi({
      [`GET ${BASE}/events`]: (call) => [200, call.url.includes("status=Charging") ? { ...EVENTS, items: [EVENTS.items[0]] } : EVENTS],
    });
    renderApp(<Events stationId={ID} />);
    const table = await screen.findByRole("table", { name: "Events of 2026-11-26, newest first" });
    const rows = within(table).getAllByRole("row");
    expect(rows.map((r) => r.textContent)).toEqual([
      "InfoCharging pointStatusError typeDate & time",
      "Status UpdateCharging point #1ChargingNo error26/11/2026 10:55",
      "could not handle commandCharging point #0AvailableOther error26/11/2026 09:49",
    ]);
    expect((screen.getByLabelText("Select a date:") as HTMLInputElement).value).toBe("2026-11-26");
    expect((screen.getByRole("button", { name: "NEXT DAY" }) as HTMLButtonElement).disabled).toBe(true);

    await userEvent.selectOptions(screen.getByLabelText("Select OCPP status:"), "Charging");
    expect(await screen.findByText("Status Update")).toBeTruthy();
    await expect.poll(() => within(screen.getByRole("table")).getAllByRole("row").length).toBe(2);
    expect(calls.at(-1)!.url).toContain("status=Charging");

    await userEvent.click(screen.getByRole("button", { name: "PREVIOUS DAY" }));
    await expect.poll(() => calls.at(-1)!.url).toContain("day=2026-11-25");
  });

  it("reads more of the same day with SHOW MORE", async () => {
    const calls = mockApi({
      [`GET ${BASE}/events`]: (call) => [200, call.url.includes("cursor=next")
        ? { ...EVENTS, items: [EVENTS.items[1]] }
        : { ...EVENTS, items: [EVENTS.items[0]], cursor: "next" }],
    });
    renderApp(<Events stationId={ID} />);
    const table = await screen.findByRole("table");
    expect(within(table).getAllByRole("row")).toHaveLength(2);
    await userEvent.click(screen.getByRole("button", { name: "SHOW MORE" }));
    await expect.poll(() => within(screen.getByRole("table")).getAllByRole("row").length).toBe(3);
    expect(screen.queryByRole("button", { name: "SHOW MORE" })).toBeNull();
    expect(calls.at(-1)!.url).toContain("cursor=next");
  });

  it("shows the API's error", async () => {
    mockApi({ [`GET ${BASE}/events`]: [404, { message: MISSING }] });
    renderApp(<Events stationId={ID} />);
    expect((await screen.findByRole("alert")).textContent).toBe(MISSING);
  });
});

const STATISTICS = {
  station_id: ID, timezone: "Europe/Helsinki",
  last_24_hours: { charging_events: 2, used_points: 1, energy_kwh: 7.51 },
  days: [
    { date: "2026-11-25", sessions: 1, energy_kwh: 4.5 },
    { date: "2026-11-26", sessions: 2, energy_kwh: 7.51 },
  ],
};

describe("statistics", () => {
  it("shows the cards, the per-day table with totals, and reads 30 days when asked", async () => {
    const calls = mockApi({ [`GET ${BASE}/statistics`]: [200, STATISTICS] });
    renderApp(<Statistics stationId={ID} />);
    expect((await screen.findByTestId("card-events")).textContent).toBe("2");
    expect(screen.getByTestId("card-points").textContent).toBe("1");
    expect(screen.getByTestId("card-kwh").textContent).toBe("7.51");
    expect(screen.getByTestId("statistics-totals").textContent).toBe("Totals of the last 2 days: 12.01 kWh, 3 charging events");
    await userEvent.click(screen.getByText("Show as a table"));
    const table = screen.getByRole("table", { name: "Consumption and charging events per day" });
    expect(within(table).getAllByRole("row").map((r) => r.textContent)).toEqual([
      "DateEnergy chargedCharging events",
      "2026-11-254.5 kWh1",
      "2026-11-267.5 kWh2",
    ]);
    await userEvent.click(screen.getByText("30 days"));
    await expect.poll(() => calls.at(-1)!.url).toContain("days=30");
  });

  it("shows the API's error", async () => {
    mockApi({ [`GET ${BASE}/statistics`]: [400, { message: "days must be 7 or 30" }] });
    renderApp(<Statistics stationId={ID} />);
    expect((await screen.findByRole("alert")).textContent).toBe("days must be 7 or 30");
  });
});

describe("refresh configuration, firmware update and diagnostics", () => {
  const ADMIN = { username: "acme-admin", organization: "ACME", role: "admin", base_group_id: "g-root" };
  const BASIC = { ...ADMIN, username: "acme-basic", role: "basic" };
  const FILE = { file_id: "f1", name: "evf100-2.1.0.bin", version: "2.1.0", size: 4, state: "Ready", uploaded_by: "acme-admin", created_at: "2026-11-26T10:00:00Z" };
  const update = (status: string, reason: string | null = null) => ({
    station_id: ID, update_id: "u1", file_id: "f1", version: "2.1.0", status, reason, requested_by: "acme-admin",
    requested_at: "2026-11-26T10:00:00Z", retrieve_date: "2026-11-26T10:00:00Z", updated_at: "2026-11-26T10:00:00Z", campaign_id: null, command_id: "c9",
  });
  const diagnostics = (status: string, extra: object = {}) => ({
    request_id: "d1", station_id: ID, status, file_name: `${ID}-diagnostics.txt`, reason: null, requested_by: "acme-basic",
    requested_at: "2026-11-26T10:00:00Z", updated_at: "2026-11-26T10:00:00Z", ...extra,
  });
  const openMenuItem = async (name: string) => {
    await userEvent.click(await screen.findByRole("button", { name: /ADVANCED/ }));
    await userEvent.click(await screen.findByRole("menuitem", { name, hidden: true }));
  };

  /** The bucket's form POST: answers `status` once the file was sent. */
  const bucket = (status: number) => {
    const sent: FormData[] = [];
    vi.stubGlobal("XMLHttpRequest", class {
      status = 0;
      upload: { onprogress?: (e: object) => void } = {};
      onload?: () => void;
      onerror?: () => void;
      open() {}
      send(body: FormData) {
        sent.push(body);
        this.upload.onprogress?.({ lengthComputable: true, loaded: 4, total: 4 });
        this.status = status;
        setTimeout(() => this.onload?.(), 0);
      }
    });
    return sent;
  };

  it("refreshes the configuration with its outcome and shows the history in the organization's time zone", async () => {
    const calls = mockApi({
      "GET /organization": [200, { org_id: "o1", name: "ACME", timezone: "Pacific/Kiritimati", version: 1 }],
      [`GET ${BASE}/status`]: [200, STATUS],
      [`GET ${BASE}/commands`]: [200, { items: [command("Answered", { action: "GetConfiguration" })], cursor: null }],
      [`POST ${BASE}/configuration/refresh`]: [202, { command_id: "c2", action: "GetConfiguration", state: "Answered", status: null, error: null, message: null }],
      [`GET ${BASE}/diagnostics`]: [200, { items: [] }],
    });
    renderApp(<Commands stationId={ID} />);
    expect(await screen.findByText("Times are in the organization's time zone (Pacific/Kiritimati).")).toBeTruthy();
    const history = screen.getByRole("table", { name: /Remote commands sent/ });
    expect(within(history).getByText("27/11/2026 00:00")).toBeTruthy(); // 10:00 UTC is midnight at UTC+14
    expect(within(history).getByText("Refresh configuration")).toBeTruthy();
    await openMenuItem("Refresh configuration");
    const dialog = await screen.findByRole("dialog", { name: "Refresh configuration" });
    expect(within(dialog).getByText("Fetch the latest configuration settings from the charging station?")).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: "SEND COMMAND" }));
    expect(await within(await screen.findByTestId("command-outcome")).findByText("Refresh configuration: Answered")).toBeTruthy();
    expect(calls.find((c) => c.method === "POST")!.url).toContain("configuration/refresh?wait=3");
  });

  it("uploads a firmware file, sends the update and follows its status", async () => {
    session.setToken("t1");
    let files: object[] = [];
    let polls = 0;
    const sent = bucket(204);
    const calls = mockApi({
      "GET /auth/session": [200, ADMIN],
      [`GET ${BASE}/status`]: [200, STATUS],
      [`GET ${BASE}/commands`]: [200, { items: [], cursor: null }],
      [`GET ${BASE}/diagnostics`]: [200, { items: [] }],
      [`GET ${BASE}/firmware-update`]: () => (polls++ === 0 ? [404, { message: "No firmware update has been sent to this charging station." }] : [200, update(polls > 2 ? "Installed" : "Installing")]),
      "GET /firmware/files": () => [200, { items: files }],
      "POST /firmware/files": [201, { file: { ...FILE, state: "Awaiting upload" }, upload: { method: "POST", url: "http://bucket.test/", fields: { key: "k" }, expires_in: 900 } }],
      "POST /firmware/files/f1/uploaded": () => { files = [FILE]; return [200, FILE]; },
      [`POST ${BASE}/firmware-update`]: [202, update("Requested")],
    });
    renderApp(<Commands stationId={ID} />);
    await openMenuItem("Firmware update");
    const dialog = await screen.findByRole("dialog", { name: "Firmware update" });
    expect(await within(dialog).findByText("No firmware files have been uploaded yet: upload one below.")).toBeTruthy();
    await userEvent.upload(within(dialog).getByLabelText(/^FILE/), new File(["fw!!"], "evf100-2.1.0.bin"));
    await userEvent.type(within(dialog).getByLabelText(/^VERSION/), "2.1.0");
    await userEvent.click(within(dialog).getByRole("button", { name: "UPLOAD" }));
    expect(await within(dialog).findByText("evf100-2.1.0.bin is uploaded and chosen.")).toBeTruthy();
    expect(calls.find((c) => c.method === "POST" && c.url.endsWith("/firmware/files"))!.body).toEqual({ name: "evf100-2.1.0.bin", version: "2.1.0", size: 4 });
    expect(sent[0].get("key")).toBe("k");
    expect((within(dialog).getByLabelText("FIRMWARE FILE") as HTMLSelectElement).value).toBe("f1");
    await userEvent.click(within(dialog).getByRole("button", { name: "UPDATE FIRMWARE" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.find((c) => c.url.endsWith("/firmware-update") && c.method === "POST")!.body).toEqual({ file_id: "f1" });
    const status = await screen.findByTestId("firmware-status");
    expect(await within(status).findByText("Status: Installing")).toBeTruthy();
    expect(screen.getByRole("list", { name: "Firmware update steps" }).querySelector("[aria-current=step]")!.textContent).toContain("Installing");
    expect(await within(status).findByText("Status: Installed", {}, { timeout: 5000 })).toBeTruthy();
  });

  it("keeps the API's refusal of a firmware update and a failed upload in the dialog", async () => {
    session.setToken("t1");
    bucket(403);
    mockApi({
      "GET /auth/session": [200, ADMIN],
      [`GET ${BASE}/status`]: [200, STATUS],
      [`GET ${BASE}/commands`]: [200, { items: [], cursor: null }],
      [`GET ${BASE}/diagnostics`]: [200, { items: [] }],
      [`GET ${BASE}/firmware-update`]: [200, update("Failed", "No firmware status from the charging station for 30 minutes (last: Downloading).")],
      "GET /firmware/files": [200, { items: [FILE] }],
      "POST /firmware/files": [201, { file: { ...FILE, file_id: "f2", state: "Awaiting upload" }, upload: { method: "POST", url: "http://bucket.test/", fields: {}, expires_in: 900 } }],
      [`POST ${BASE}/firmware-update`]: [409, { message: "A firmware update is already in progress on this charging station." }],
    });
    renderApp(<Commands stationId={ID} />);
    const status = await screen.findByTestId("firmware-status");
    expect(within(status).getByText("Status: Failed")).toBeTruthy();
    expect(within(status).getByText("No firmware status from the charging station for 30 minutes (last: Downloading).")).toBeTruthy();
    await openMenuItem("Firmware update");
    const dialog = await screen.findByRole("dialog", { name: "Firmware update" });
    await userEvent.click(await within(dialog).findByRole("button", { name: "UPDATE FIRMWARE" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("A firmware update is already in progress on this charging station.");
    await userEvent.upload(within(dialog).getByLabelText(/^FILE/), new File(["fw!!"], "other.bin"));
    await userEvent.type(within(dialog).getByLabelText(/^VERSION/), "2.2.0");
    await userEvent.click(within(dialog).getByRole("button", { name: "UPLOAD" }));
    expect(await within(dialog).findByText("The firmware file could not be uploaded (the file storage answered 403).")).toBeTruthy();
  });

  it("asks for diagnostics with their options, lists the request and downloads the uploaded file; no firmware update for a basic operator", async () => {
    session.setToken("t1");
    let asked = false;
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const calls = mockApi({
      "GET /auth/session": [200, BASIC],
      [`GET ${BASE}/status`]: [200, STATUS],
      [`GET ${BASE}/commands`]: [200, { items: [], cursor: null }],
      [`GET ${BASE}/diagnostics`]: () => [200, { items: asked ? [diagnostics("Uploaded")] : [] }],
      [`POST ${BASE}/diagnostics`]: () => { asked = true; return [202, diagnostics("Requested")]; },
      [`GET ${BASE}/diagnostics/d1/download`]: [200, { url: "http://bucket.test/d1?signed", expires_in: 300 }],
    });
    renderApp(<Commands stationId={ID} />);
    expect(await screen.findByText("No diagnostics have been requested from this charging station.")).toBeTruthy();
    await userEvent.click(await screen.findByRole("button", { name: /ADVANCED/ }));
    expect(await screen.findByRole("menuitem", { name: "Get diagnostics", hidden: true })).toBeTruthy();
    expect(screen.queryByRole("menuitem", { name: "Firmware update", hidden: true })).toBeNull();
    await userEvent.click(screen.getByRole("menuitem", { name: "Get diagnostics", hidden: true }));
    const dialog = await screen.findByRole("dialog", { name: "Get diagnostics" });
    await userEvent.type(within(dialog).getByLabelText(/^RETRIES/), "2");
    await userEvent.click(within(dialog).getByRole("button", { name: "GET DIAGNOSTICS" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ retries: 2 });
    const table = await screen.findByRole("table", { name: /^Diagnostics requests/ });
    expect(within(table).getByText("Uploaded")).toBeTruthy();
    await userEvent.click(within(table).getByRole("button", { name: `DOWNLOAD ${ID}-diagnostics.txt` }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect((click.mock.instances[0] as unknown as HTMLAnchorElement).href).toBe("http://bucket.test/d1?signed");
  });

  it("keeps the API's refusal of diagnostics in the dialog", async () => {
    mockApi({
      [`GET ${BASE}/status`]: [200, { ...STATUS, connected: false }],
      [`GET ${BASE}/commands`]: [200, { items: [], cursor: null }],
      [`GET ${BASE}/diagnostics`]: [200, { items: [] }],
      [`POST ${BASE}/diagnostics`]: [409, { message: "Remote command execution failed. Charging station is not connected." }],
    });
    renderApp(<Commands stationId={ID} />);
    await openMenuItem("Get diagnostics");
    const dialog = await screen.findByRole("dialog", { name: "Get diagnostics" });
    await userEvent.click(within(dialog).getByRole("button", { name: "GET DIAGNOSTICS" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Remote command execution failed. Charging station is not connected.");
  });
});

describe("a date picked in the organization's time zone", () => {
  it("is the instant of that wall-clock time there, across a daylight saving change too", () => {
    expect(zonedToIso("2026-11-27T00:00", "Pacific/Kiritimati")).toBe("2026-11-26T10:00:00.000Z");
    expect(zonedToIso("2026-03-29T02:30", "Europe/Helsinki")).toBe("2026-03-29T00:30:00.000Z"); // UTC+2 before 03:00
    expect(zonedToIso("2026-03-29T04:30", "Europe/Helsinki")).toBe("2026-03-29T01:30:00.000Z"); // UTC+3 after
    expect(zonedToIso("2026-07-01T12:00", "UTC")).toBe("2026-07-01T12:00:00.000Z");
  });
});
