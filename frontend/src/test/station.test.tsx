import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { session } from "../api";
import { Advanced } from "../components/station/Advanced";
import { Basic } from "../components/station/Basic";
import { Points } from "../components/station/Points";
import { Stations } from "../pages/Stations";
import { mockApi, renderApp, type Call } from "./render";

const who = (role: string) => [200, { username: `acme-${role}`, organization: "ACME", role, base_group_id: "g-root" }] as [number, unknown];
const TREE = {
  items: [
    { group_id: "g-root", name: "ACME Shopping Malls", parent_id: null, depth: 0, version: 1 },
    { group_id: "g-pine", name: "ACME Pine Mall", parent_id: "g-root", depth: 1, version: 1 },
  ],
};
const ROW = { station_id: "EVI00000013", name: "Pine Mall entry", group_id: "g-pine", group_name: "ACME Pine Mall", point_count: 1, firmware_version: "A999" };
const point = (status: string) => ({
  point: 1, status, ocpp_status: status, error_code: "NoError", info: null, since: null, configured: true,
  sockets: [{ type: "Type-2", max_kw: 22 }, { type: "Schuko", max_kw: 3.7 }],
});
const STATION = {
  ...ROW, orphan: false, connected: true, registration: "Accepted", station_status: null, maintenance: false,
  points: [point("Available")], vendor: "Ensto", model: "EVF100", serial_number: "S1", firmware_status: null,
  last_seen_at: null, created_at: null, version: 3, evse_code: null, evse_name: null, emi3_id: null, roaming: false,
  current_power_kw: null,
};
const key = (name: string, value: string, readonly = false) => ({
  key: name, value, readonly, reported: true, recommended: null, desired: value, origin: null, drift: false, status: null, status_at: null,
});
const CONFIG = {
  station_id: "EVI00000013", source: "Defined by User", template_id: null, applied_template_id: null, applying: 0,
  refreshed_at: "2026-11-26T10:00:00Z", unknown_keys: [], drift: 0,
  keys: [key("HeartbeatInterval", "300"), key("NumberOfConnectors", "1", true)],
};
const NO_UPDATE: [number, unknown] = [404, { message: "No firmware update has been sent to this charging station." }];

function asRole(role: string, routes: Parameters<typeof mockApi>[0]): Call[] {
  session.setToken("t1");
  return mockApi({ "GET /auth/session": who(role), "GET /groups/tree": [200, TREE], ...routes });
}

describe("charging stations list", () => {
  it("shows the manual's columns and adds a station, which the list then shows", async () => {
    let added = false;
    const calls = asRole("admin", {
      "GET /stations": (call) => [200, { items: added || !call.url.includes("q=") ? [ROW] : [], cursor: null }],
      "POST /stations": () => { added = true; return [201, STATION]; },
    });
    renderApp(<Stations />);
    const table = await screen.findByRole("table", { name: "Charging stations" });
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(
      ["Charging station name", "Identifier", "Charging group", "Charging points", "Firmware", "Actions"]);
    await within(table).findByRole("link", { name: "Pine Mall entry" });
    await userEvent.click(screen.getByRole("button", { name: "ADD CHARGING STATION" }));
    const dialog = await screen.findByRole("dialog", { name: "Add new charging station" });
    await userEvent.type(within(dialog).getByLabelText(/CHARGING STATION NAME/), "Pine Mall entry");
    await userEvent.type(within(dialog).getByLabelText(/IDENTIFIER/), "EVI00000013");
    await within(dialog).findByRole("option", { name: /ACME Pine Mall/ });
    await userEvent.selectOptions(within(dialog).getByLabelText("PARENT GROUP"), "g-pine");
    await userEvent.click(within(dialog).getByRole("button", { name: "SAVE CHANGES" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ station_id: "EVI00000013", name: "Pine Mall entry", group_id: "g-pine" });
    expect(screen.getByLabelText("Search")).toHaveProperty("value", "EVI00000013");
    expect(await screen.findByRole("link", { name: "Edit charging station Pine Mall entry" })).toBeTruthy();
  });

  it("shows the API's duplicate-identifier error in the dialog", async () => {
    asRole("admin", {
      "GET /stations": [200, { items: [ROW], cursor: null }],
      "POST /stations": [409, { message: "Charging station already exists for that identifier." }],
    });
    renderApp(<Stations />);
    await userEvent.click(await screen.findByRole("button", { name: "ADD CHARGING STATION" }));
    const dialog = await screen.findByRole("dialog", { name: "Add new charging station" });
    await userEvent.type(within(dialog).getByLabelText(/IDENTIFIER/), "EVI00000013");
    await userEvent.click(within(dialog).getByRole("button", { name: "SAVE CHANGES" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Charging station already exists for that identifier.");
  });

  it("gives basic operators no add button and filters by group", async () => {
    const calls = asRole("basic", { "GET /stations": [200, { items: [ROW], cursor: null }] });
    renderApp(<Stations />);
    await screen.findByRole("link", { name: "Pine Mall entry" });
    expect(screen.queryByRole("button", { name: "ADD CHARGING STATION" })).toBeNull();
    await screen.findByRole("option", { name: /ACME Pine Mall/ });
    await userEvent.selectOptions(screen.getByLabelText("Charging group"), "g-pine");
    await waitFor(() => expect(calls.some((c) => c.url.includes("group_id=g-pine"))).toBe(true));
  });
});

describe("basic settings", () => {
  it("saves the name and the EVSE data with the version each answer gives", async () => {
    const calls = asRole("admin", {
      "GET /stations/EVI00000013": [200, STATION],
      "PUT /stations/EVI00000013": (call) => [200, { ...STATION, name: (call.body as { name: string }).name, version: 4 }],
      "PUT /stations/EVI00000013/metadata": [200, { ...STATION, name: "Pine Mall exit", evse_code: "PINE-1", version: 5 }],
    });
    renderApp(<Basic stationId="EVI00000013" />);
    const name = await screen.findByLabelText(/CHARGING STATION NAME/);
    await userEvent.clear(name);
    await userEvent.type(name, "Pine Mall exit");
    await userEvent.type(screen.getByLabelText(/EVSE CODE/), "PINE-1");
    await userEvent.click(screen.getByRole("button", { name: "SAVE CHANGES" }));
    expect((await screen.findByRole("status")).textContent).toBe("Charging station is saved.");
    expect(calls.find((c) => c.method === "PUT" && c.url.endsWith("EVI00000013"))?.body).toEqual({ name: "Pine Mall exit", group_id: "g-pine", version: 3 });
    expect(calls.find((c) => c.url.endsWith("/metadata"))?.body).toMatchObject({ evse_code: "PINE-1", roaming: false, version: 4 });
  });

  it("shows the API's error when the save is refused", async () => {
    asRole("admin", {
      "GET /stations/EVI00000013": [200, STATION],
      "PUT /stations/EVI00000013": [409, { message: "Charging station does not exist." }],
    });
    renderApp(<Basic stationId="EVI00000013" />);
    await userEvent.click(await screen.findByRole("button", { name: "SAVE CHANGES" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Charging station does not exist.");
  });

  it("deletes the station after the confirmation question", async () => {
    const calls = asRole("admin", { "GET /stations/EVI00000013": [200, STATION], "DELETE /stations/EVI00000013": [204, null] });
    renderApp(<Basic stationId="EVI00000013" />);
    await userEvent.click(await screen.findByRole("button", { name: "DELETE CHARGING STATION" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete this station" });
    expect(within(dialog).getByText(/Delete charging station Pine Mall entry\?/)).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: "DELETE" }));
    await waitFor(() => expect(window.location.hash).toBe("#/stations"));
    expect(calls.some((c) => c.method === "DELETE")).toBe(true);
  });

  it("shows basic operators the settings read-only, with no save or delete", async () => {
    asRole("basic", { "GET /stations/EVI00000013": [200, STATION] });
    renderApp(<Basic stationId="EVI00000013" />);
    expect(await screen.findByLabelText(/CHARGING STATION NAME/)).toHaveProperty("readOnly", true);
    expect(screen.queryByRole("button", { name: "SAVE CHANGES" })).toBeNull();
    expect(screen.queryByRole("button", { name: "DELETE CHARGING STATION" })).toBeNull();
  });
});

describe("advanced settings", () => {
  const routes = (change: [number, unknown]) => ({
    "GET /stations/EVI00000013": [200, STATION] as [number, unknown],
    "GET /stations/EVI00000013/firmware-update": NO_UPDATE,
    "GET /stations/EVI00000013/configuration": (call: Call) => [200, call.url.includes("q=Heart") ? { ...CONFIG, keys: [CONFIG.keys[0]] } : CONFIG] as [number, unknown],
    "PUT /stations/EVI00000013/configuration/keys/HeartbeatInterval": change,
  });

  it("lists, searches and changes a writable key; a read-only key has no edit button", async () => {
    const calls = asRole("admin", routes([202, {
      command: { command_id: "c1", action: "ChangeConfiguration", state: "Answered", status: "Accepted", error: null, message: null },
      key: key("HeartbeatInterval", "60"),
    }]));
    renderApp(<Advanced stationId="EVI00000013" />);
    const table = await screen.findByRole("table", { name: "Configuration keys" });
    await within(table).findByText("NumberOfConnectors");
    expect(within(table).queryByRole("button", { name: "Edit NumberOfConnectors" })).toBeNull();
    expect(screen.getByText("No firmware update has been sent to this charging station.")).toBeTruthy();
    expect(screen.getByTestId("configuration-source").textContent).toBe("Defined by User");
    await userEvent.type(screen.getByLabelText("Search for advanced settings"), "Heart");
    await waitFor(() => expect(within(table).queryByText("NumberOfConnectors")).toBeNull());
    await userEvent.click(within(table).getByRole("button", { name: "Edit HeartbeatInterval" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit HeartbeatInterval" });
    await userEvent.clear(within(dialog).getByLabelText("VALUE"));
    await userEvent.type(within(dialog).getByLabelText("VALUE"), "60");
    await userEvent.click(within(dialog).getByRole("button", { name: "SAVE CHANGES" }));
    expect((await within(dialog).findByRole("status")).textContent).toBe("HeartbeatInterval: Accepted");
    expect(calls.find((c) => c.method === "PUT")).toMatchObject({ body: { value: "60" } });
  });

  it("shows the manual's configuration error when the charger refuses the change", async () => {
    asRole("admin", routes([202, {
      command: { command_id: "c1", action: "ChangeConfiguration", state: "Answered", status: "Rejected", error: null, message: "Charging point configuration error." },
      key: key("HeartbeatInterval", "300"),
    }]));
    renderApp(<Advanced stationId="EVI00000013" />);
    await userEvent.click(await screen.findByRole("button", { name: "Edit HeartbeatInterval" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit HeartbeatInterval" });
    await userEvent.click(within(dialog).getByRole("button", { name: "SAVE CHANGES" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Charging point configuration error.");
  });

  it("shows the template's source, reverts to it and shows the firmware update's status", async () => {
    const calls = asRole("admin", {
      ...routes([403, {}]),
      "GET /stations/EVI00000013/configuration": [200, { ...CONFIG, source: "System Values Overwritten", template_id: "tpl-evf100", drift: 1 }],
      "GET /stations/EVI00000013/firmware-update": [200, { version: "A1000", status: "Installing", reason: null, updated_at: "2026-11-26T10:00:00Z" }],
      "POST /stations/EVI00000013/configuration/system": [202, { commands: [{ command_id: "c3", action: "ChangeConfiguration", state: "Pending", status: null, error: null, message: null }] }],
    });
    renderApp(<Advanced stationId="EVI00000013" />);
    expect((await screen.findByTestId("configuration-source")).textContent).toBe("System Values Overwritten");
    expect(screen.getByText("1 settings are not the desired value")).toBeTruthy();
    expect(await screen.findByText("A1000 – Installing")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "USE SYSTEM CONFIGURATION" }));
    expect((await screen.findByRole("status")).textContent).toBe("1 changes sent to the charging station.");
    expect(calls.some((c) => c.method === "POST" && c.url.endsWith("/configuration/system"))).toBe(true);
  });

  it("shows the manual's error when a refresh gets no answer", async () => {
    asRole("basic", {
      ...routes([403, {}]),
      "POST /stations/EVI00000013/configuration/refresh": [202, { command_id: "c2", action: "GetConfiguration", state: "Offline", status: null, error: null, message: "Charging point configuration error." }],
    });
    renderApp(<Advanced stationId="EVI00000013" />);
    await screen.findByText("HeartbeatInterval");
    expect(screen.queryByRole("button", { name: "Edit HeartbeatInterval" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "REFRESH CONFIGURATION" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Charging point configuration error.");
  });
});

describe("charging points", () => {
  it("shows each point's sockets and follows its status without a reload", async () => {
    let polls = 0;
    asRole("basic", { "GET /stations/EVI00000013": () => [200, { ...STATION, points: [point(++polls > 1 ? "Charging" : "Available")] }] });
    renderApp(<Points stationId="EVI00000013" />);
    const card = await screen.findByRole("region", { name: "Charging point #1" });
    expect(within(card).getByText("Status: Available")).toBeTruthy();
    expect(within(card).getByText("Type-2 (Socket #1) 22 kW max. power")).toBeTruthy();
    expect(within(card).getByText("Schuko (Socket #2) 3.7 kW max. power")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "EDIT CHARGING POINTS" })).toBeNull();
    expect(await within(card).findByText("Status: Charging", {}, { timeout: 12_000 })).toBeTruthy();
  });

  it("lets admins edit the sockets and shows the API's error", async () => {
    const calls = asRole("admin", {
      "GET /stations/EVI00000013": [200, STATION],
      "PUT /stations/EVI00000013/points": [400, { message: "Invalid request.", errors: [{ field: "points.0.sockets.0.max_kw", message: "Input should be greater than 0" }] }],
    });
    renderApp(<Points stationId="EVI00000013" />);
    await userEvent.click(await screen.findByRole("button", { name: "EDIT CHARGING POINTS" }));
    await userEvent.selectOptions(screen.getByLabelText("SOCKET TYPE (Socket #2)"), "CCS");
    await userEvent.click(screen.getByRole("button", { name: "SAVE CHANGES" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Invalid request.");
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({
      points: [{ sockets: [{ type: "Type-2", max_kw: 22 }, { type: "CCS", max_kw: 3.7 }] }], version: 3,
    });
  });
});

describe("station state", () => {
  it("disables the station for maintenance and shows it", async () => {
    const calls = asRole("basic", {
      "GET /stations/EVI00000013": [200, STATION],
      "PUT /stations/EVI00000013/maintenance": [200, { station: { ...STATION, maintenance: true }, command: {} }],
    });
    renderApp(<Basic stationId="EVI00000013" />);
    await userEvent.click(await screen.findByRole("button", { name: "DISABLE FOR MAINTENANCE" }));
    expect(await screen.findByRole("button", { name: "ENABLE" })).toBeTruthy();
    expect(screen.getByRole("table", { name: "State" }).textContent).toContain("Disabled for maintenance");
    expect(calls.find((c) => c.url.endsWith("/maintenance"))?.body).toEqual({ disabled: true });
  });

  it("shows the API's refusal of a registration change", async () => {
    asRole("admin", {
      "GET /stations/EVI00000013": [200, STATION],
      "PUT /stations/EVI00000013/registration": [403, { message: "Access denied." }],
    });
    renderApp(<Basic stationId="EVI00000013" />);
    await userEvent.selectOptions(await screen.findByLabelText("Registration status"), "Pending");
    await userEvent.click(screen.getByRole("button", { name: "SET REGISTRATION" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Access denied.");
  });
});
