import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { session } from "../api";
import { Groups } from "../pages/Groups";
import { mockApi, renderApp } from "./render";

const ADMIN = { username: "acme-admin", organization: "ACME", role: "admin", base_group_id: "g-root" };
const BASIC = { ...ADMIN, username: "acme-basic", role: "basic" };
const group = (group_id: string, name: string, parent_id: string | null, depth: number) => ({ group_id, name, parent_id, depth, version: 3 });
const TREE = {
  items: [
    group("g-root", "ACME Shopping Malls", null, 0),
    group("g-pine", "ACME Pine Mall", "g-root", 1),
    group("g-cone", "Pine Cone Corner", "g-pine", 2),
    group("g-birch", "ACME Birch Mall", "g-root", 1),
  ],
};
const PINE = {
  ...group("g-pine", "ACME Pine Mall", "g-root", 1),
  parent_name: "ACME Shopping Malls",
  stations: [{ station_id: "EVI00000013", name: "EVI00000013", point_count: 1 }],
  subgroups: [group("g-cone", "Pine Cone Corner", "g-pine", 2)],
};
const summary = { stations: 3, points: 4, charging: 1, issues: 0, statuses: {}, donut: {} };
const STATS = {
  group_id: "g-pine", name: "ACME Pine Mall", timezone: "Europe/Helsinki", summary,
  last_24_hours: { charging_events: 36, used_points: 6, energy_kwh: 113.35 },
  days: [{ date: "2026-11-25", sessions: 5, energy_kwh: 20 }, { date: "2026-11-26", sessions: 1, energy_kwh: 4 }],
  stations: [{ station_id: "EVI00000013", days: [{ date: "2026-11-25", sessions: 5, energy_kwh: 20 }, { date: "2026-11-26", sessions: 1, energy_kwh: 4.125 }] }],
};
const station = (id: string, group: string | null) =>
  ({ station_id: id, name: id, group_id: group, group_name: group && "ACME Birch Mall", point_count: 1, firmware_version: null });
const BIRCH_STATION = station("EVI00000015", "g-birch");
const ORPHAN = station("EVI00000019", null);
const HAS_STATIONS = "The charging group cannot be deleted: it contains charging stations. Remove them from the group first.";

function as(operator: typeof ADMIN, routes: Parameters<typeof mockApi>[0]) {
  session.setToken("t1");
  return mockApi({ "GET /auth/session": [200, operator], "GET /groups/tree": [200, TREE], ...routes });
}
const view = (query: string) => renderApp(<Groups params={new URLSearchParams(query)} />);

describe("charging group list", () => {
  it("shows the domain as a tree with links to each group's statistics and edit views", async () => {
    const calls = as(ADMIN, { "GET /groups/tree": [200, { items: TREE.items.map((g, i) => ({ ...g, station_count: [6, 3, 1, 2][i] })) }] });
    view("");
    const table = await screen.findByRole("table", { name: "Charging groups of your domain as a tree" });
    expect(within(table).getAllByRole("cell").filter((_, i) => i % 3 === 0).map((c) => c.textContent)).toEqual([
      "ACME Shopping Malls", "└ ACME Pine Mall", "└ Pine Cone Corner", "└ ACME Birch Mall",
    ]);
    expect(screen.getByTestId("stations-g-root").textContent).toBe("6");
    expect(screen.getByRole("link", { name: "Edit Pine Cone Corner" }).getAttribute("href")).toBe("#/groups?id=g-cone&edit=1");
    expect(screen.getByRole("link", { name: "Statistics of ACME Birch Mall" }).getAttribute("href")).toBe("#/groups?id=g-birch");
    await userEvent.type(screen.getByLabelText("Search for charging groups"), "pine");
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(calls.some((c) => c.url === "api/v1/groups/tree?counts=true")).toBe(true);
  });

  it("shows the API's error when the tree cannot be read", async () => {
    as(ADMIN, { "GET /groups/tree": [403, { message: "Access denied." }] });
    view("");
    expect((await screen.findByRole("alert")).textContent).toBe("Access denied.");
  });
});

describe("charging group statistics", () => {
  it("shows the subtree's figures, own stations, subgroups and the last 24 hours", async () => {
    as(ADMIN, { "GET /groups/g-pine/statistics": [200, STATS], "GET /groups/g-pine": [200, PINE] });
    view("id=g-pine");
    expect(await screen.findByRole("heading", { name: "Charging group ACME Pine Mall" })).toBeTruthy();
    expect(screen.getByTestId("group-figure-stations").textContent).toBe("3");
    expect(screen.getByTestId("group-figure-energy").textContent).toBe("113.35");
    expect(screen.getByRole("link", { name: "Pine Cone Corner" })).toBeTruthy();
    const perStation = screen.getByRole("table", { name: "Energy charged per charging station and day (kWh)" });
    expect(within(perStation).getAllByRole("row").map((r) => r.textContent)).toEqual([
      "DateEVI00000013Charging events", "2026-11-25205", "2026-11-264.131",
    ]);
    const trail = screen.getByRole("navigation", { name: "Breadcrumb" });
    expect(within(trail).getAllByRole("link").map((a) => a.getAttribute("href"))).toEqual(["#/", "#/groups"]);
    expect(screen.getByRole("link", { name: "EDIT THIS CHARGING GROUP" }).getAttribute("href")).toBe("#/groups?id=g-pine&edit=1");
  });

  it("shows the API's text for a group outside the domain", async () => {
    as(ADMIN, { "GET /groups/g-x/statistics": [404, { message: "Charging group does not exist." }], "GET /groups/g-x": [404, { message: "Charging group does not exist." }] });
    view("id=g-x");
    expect((await screen.findByRole("alert")).textContent).toBe("Charging group does not exist.");
  });
});

describe("add new charging group", () => {
  it("posts the name, the parent and the picked stations, then shows the list", async () => {
    const calls = as(ADMIN, {
      "GET /stations": (call) => [200, { items: [call.url.includes("orphans=true") ? ORPHAN : BIRCH_STATION], cursor: null }],
      "POST /groups": [201, { ...PINE, group_id: "g-new", name: "Oak Mall" }],
    });
    view("add=1");
    await userEvent.type(await screen.findByLabelText(/^NAME/), "Oak Mall");
    await userEvent.selectOptions(screen.getByLabelText(/^PARENT GROUP/), "g-birch");
    await userEvent.type(screen.getByLabelText("Search for charging stations"), "15");
    await userEvent.click(await screen.findByRole("button", { name: "Add EVI00000015 to this group" }));
    expect(screen.getByText("no charging group")).toBeTruthy(); // an orphan: the API lists them apart
    await userEvent.click(screen.getByRole("button", { name: "Add EVI00000019 to this group" }));
    await userEvent.click(screen.getByRole("button", { name: "SAVE CHANGES +" }));
    await waitFor(() => expect(window.location.hash).toBe("#/groups")); // saved: back to the list
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "Oak Mall", parent_id: "g-birch", station_ids: ["EVI00000015", "EVI00000019"] });
  });

  it("lists a station once when it left its group between the picker's two answers", async () => {
    const moved = { ...ORPHAN, station_id: "EVI00000015", name: "EVI00000015" };
    as(ADMIN, { "GET /stations": (call) => [200, { items: [call.url.includes("orphans=true") ? moved : BIRCH_STATION], cursor: null }] });
    view("add=1");
    await userEvent.type(await screen.findByLabelText("Search for charging stations"), "15");
    expect(await screen.findAllByRole("button", { name: "Add EVI00000015 to this group" })).toHaveLength(1);
    expect(screen.getByText("no charging group")).toBeTruthy();
    expect(screen.queryByText("now in ACME Birch Mall")).toBeNull();
  });

  it("shows the manual's text when a basic operator gives no parent, and offers no station picker", async () => {
    as(BASIC, { "POST /groups": [400, { message: "Adding a new group failed. Parent group is required." }] });
    view("add=1");
    await userEvent.type(await screen.findByLabelText(/^NAME/), "Oak Mall");
    expect(screen.queryByLabelText("Search for charging stations")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "SAVE CHANGES +" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Adding a new group failed. Parent group is required.");
  });
});

describe("edit charging group", () => {
  it("renames and moves the group, never offering its own subtree as the parent", async () => {
    const calls = as(ADMIN, { "GET /groups/g-pine": [200, PINE], "PUT /groups/g-pine": [200, { ...PINE, name: "Pine", parent_id: "g-birch" }] });
    view("id=g-pine&edit=1");
    const parent = await screen.findByLabelText(/^PARENT GROUP/);
    const options = within(parent).getAllByRole("option").map((o) => o.getAttribute("value"));
    expect(options).toEqual(["g-root", "g-birch"]);
    await userEvent.clear(screen.getByLabelText(/^NAME/));
    await userEvent.type(screen.getByLabelText(/^NAME/), "Pine");
    await userEvent.selectOptions(parent, "g-birch");
    await userEvent.click(screen.getByRole("button", { name: "SAVE CHANGES +" }));
    await waitFor(() => expect(window.location.hash).toBe("#/groups"));
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ name: "Pine", parent_id: "g-birch", version: 3 });
  });

  it("asks before deleting and shows the API's reason when the group is not empty", async () => {
    as(ADMIN, { "GET /groups/g-pine": [200, PINE], "DELETE /groups/g-pine": [409, { message: HAS_STATIONS }] });
    view("id=g-pine&edit=1");
    await userEvent.click(await screen.findByRole("button", { name: "DELETE THIS GROUP" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("Delete the charging group ACME Pine Mall? This cannot be undone.")).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: "YES, DELETE" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe(HAS_STATIONS);
  });

  it("gives basic operators no station add or remove buttons", async () => {
    as(BASIC, { "GET /groups/g-pine": [200, PINE] });
    view("id=g-pine&edit=1");
    expect(await screen.findByRole("link", { name: "EVI00000013" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Remove EVI00000013 from this group" })).toBeNull();
    expect(screen.queryByLabelText("Search for charging stations")).toBeNull();
  });
});
