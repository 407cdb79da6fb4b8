import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Commands } from "../components/station/Commands";
import { Events } from "../components/station/Events";
import { Statistics } from "../components/station/Statistics";
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
