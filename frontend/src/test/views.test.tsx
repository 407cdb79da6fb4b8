import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import { session } from "../api";
import { SetPassword } from "../pages/SetPassword";
import { mockApi, renderApp } from "./render";

const summary = (stations: number, points: number, charging: number, issues: number, donut: Record<string, number>) =>
  ({ stations, points, charging, issues, statuses: {}, donut });

const DASHBOARD = {
  selection: ["g-root"],
  selected: summary(2, 3, 1, 1, {}),
  groups: [],
  domain: summary(2, 3, 1, 1, { Charging: 1, Available: 1, "Issue detected": 1 }),
  last_24_hours: { charging_events: 4, used_points: 2, energy_kwh: 31.25 },
  timezone: "Europe/Helsinki",
  days: [],
};
const TREE = {
  items: [
    { group_id: "g-root", name: "ACME Shopping Malls", parent_id: null, depth: 0, version: 1 },
    { group_id: "g-pine", name: "ACME Pine Mall", parent_id: "g-root", depth: 1, version: 1 },
  ],
};
const live = (id: string, name: string, group: string, statuses: string[]) => ({
  station_id: id, name, group_id: group, connected: true,
  points: statuses.map((status, i) => ({ point: i + 1, status, ocpp_status: null, error_code: null })),
});
const POINTS = {
  items: [live("EVI1", "Pine 1", "g-pine", ["Charging", "Available"]), live("EVI2", "Root 1", "g-root", ["Issue detected"])],
  cursor: null,
};

describe("log-in", () => {
  it("shows the API's 'Wrong credentials.' and stays on the form", async () => {
    mockApi({ "POST /auth/login": [401, { message: "Wrong credentials.", request_id: "r" }] });
    renderApp(<App />);
    await userEvent.type(screen.getByLabelText(/^Username:/), "acme-admin");
    await userEvent.type(screen.getByLabelText(/^Password:/), "nope");
    await userEvent.click(screen.getByRole("button", { name: "LOG IN" }));
    expect(await screen.findByRole("alert")).toHaveProperty("textContent", "Wrong credentials.");
    expect(session.token()).toBeNull();
  });

  it("keeps the session and device tokens and opens the dashboard", async () => {
    mockApi({
      "POST /auth/login": [200, { token: "t1", device_token: "d1", expires_at: "", username: "acme-admin", organization: "ACME", role: "admin", base_group_id: "g-root" }],
      "GET /dashboard": [200, DASHBOARD],
      "GET /groups/tree": [200, TREE],
      "GET /dashboard/points": [200, POINTS],
    });
    renderApp(<App />);
    await userEvent.type(screen.getByLabelText(/^Username:/), "acme-admin");
    await userEvent.type(screen.getByLabelText(/^Password:/), "right");
    await userEvent.click(screen.getByRole("button", { name: "LOG IN" }));
    expect(await screen.findByRole("heading", { name: "Dashboard", level: 1 })).toBeTruthy();
    expect(session.token()).toBe("t1");
    expect(session.deviceToken()).toBe("d1");
  });
});

describe("dashboard", () => {
  it("draws each group with its stations' point icons, the totals, the donut table and the cumulatives", async () => {
    session.setToken("t1");
    mockApi({
      "GET /auth/session": [200, { username: "acme-basic", organization: "ACME", role: "basic", base_group_id: "g-root" }],
      "GET /dashboard": [200, DASHBOARD],
      "GET /groups/tree": [200, TREE],
      "GET /dashboard/points": [200, POINTS],
    });
    renderApp(<App />);
    const pine = await screen.findByRole("region", { name: "ACME Pine Mall" });
    const station = await within(pine).findByRole("group", { name: "Charging station Pine 1" });
    await within(station).findByRole("img", { name: "Charging point 1: Charging" });
    expect(within(station).getByRole("img", { name: "Charging point 2: Available" })).toBeTruthy();
    await screen.findByRole("img", { name: "Charging point 1: Issue detected" });
    expect(screen.getByTestId("figure-stations").textContent).toBe("2");
    expect(screen.getByTestId("figure-issues").textContent).toBe("1");
    expect(screen.getByTestId("donut-Charging").textContent).toBe("1");
    expect(screen.getByTestId("donut-Offline").textContent).toBe("0");
    expect(screen.getByTestId("figure-energy").textContent).toBe("31.3 kWh");
    // Basic operators have no Operators menu item.
    expect(within(screen.getByRole("navigation", { name: "Main menu" })).queryByText("Operators")).toBeNull();
  });

  it("shows a system error with its request id when the dashboard fails", async () => {
    session.setToken("t1");
    mockApi({
      "GET /auth/session": [200, { username: "a", organization: "ACME", role: "admin", base_group_id: "g" }],
      "GET /dashboard": [503, { message: "Error #12 encountered. If this error persists, please consult user manual for further actions.", request_id: "req-9" }],
      "GET /groups/tree": [200, TREE],
    });
    renderApp(<App />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Error #12 encountered.");
    expect(alert.textContent).toContain("Request id: req-9");
  });
});

describe("consumption over the selected timeframe", () => {
  it("asks the API for the chosen number of days and lists them in the table", async () => {
    session.setToken("t1");
    const days = (n: number) => Array.from({ length: n }, (_, i) => ({ date: `2026-11-${String(i + 1).padStart(2, "0")}`, sessions: i, energy_kwh: i * 2 }));
    const calls = mockApi({
      "GET /auth/session": [200, { username: "a", organization: "ACME", role: "admin", base_group_id: "g-root" }],
      "GET /dashboard": (call) => [200, { ...DASHBOARD, days: days(call.url.includes("days=30") ? 30 : 7) }],
      "GET /groups/tree": [200, TREE],
      "GET /dashboard/points": [200, { items: [], cursor: null }],
    });
    renderApp(<App />);
    const table = await screen.findByRole("table", { name: "Consumption and charging events per day" });
    expect(within(table).getAllByRole("row")).toHaveLength(8);
    await userEvent.selectOptions(screen.getByLabelText("Timeframe"), "30");
    await screen.findByText("2026-11-30");
    expect(within(table).getAllByRole("row")).toHaveLength(31);
    expect(calls.some((c) => c.url === "api/v1/dashboard?days=30")).toBe(true);
  });
});

describe("password from an e-mailed link", () => {
  it("posts the link's token to the activation route and says the account is active", async () => {
    const calls = mockApi({ "POST /auth/activate": [204, null] });
    renderApp(<SetPassword kind="activate" token="tok-abc" />);
    await userEvent.type(screen.getByLabelText(/^New password:/), "Blue-Lagoon-2026");
    await userEvent.type(screen.getByLabelText(/^New password again:/), "Blue-Lagoon-2026");
    await userEvent.click(screen.getByRole("button", { name: "SET PASSWORD" }));
    expect(await screen.findByRole("status")).toHaveProperty("textContent", "Your account is activated. Log in with your username and new password.");
    expect(calls[0]).toMatchObject({ method: "POST", url: "api/v1/auth/activate", body: { token: "tok-abc", password: "Blue-Lagoon-2026" } });
  });

  it("refuses two different passwords before asking the API", async () => {
    const calls = mockApi({});
    renderApp(<SetPassword kind="reset-password" token="tok" />);
    await userEvent.type(screen.getByLabelText(/^New password:/), "Blue-Lagoon-2026");
    await userEvent.type(screen.getByLabelText(/^New password again:/), "Blue-Lagoon-2027");
    await userEvent.click(screen.getByRole("button", { name: "SET PASSWORD" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The passwords do not match.");
    expect(calls).toHaveLength(0);
  });

  it("says the link is not valid when it has no token", () => {
    mockApi({});
    renderApp(<SetPassword kind="reset-password" token={null} />);
    expect(screen.getByRole("alert").textContent).toBe("This link is not valid or has already been used.");
    expect(screen.getByRole("button", { name: "SET PASSWORD" })).toHaveProperty("disabled", true);
  });
});
