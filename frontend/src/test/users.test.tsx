import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { session } from "../api";
import { fieldsOf, newDraft } from "../components/users/tokenDraft";
import { Users } from "../pages/Users";
import { mockApi, renderApp } from "./render";

const who = (role: string) => [200, { username: "op", organization: "ACME", role, base_group_id: "g-root" }] as [number, unknown];
const SCROOGE_ROW = {
  user_id: "scrooge@duckburg.com", first_name: "Scrooge", last_name: "McDuck", email: "scrooge@duckburg.com",
  user_group_id: "ug-1", user_group_name: "Duckburg", token_count: 1, active: true,
};
const TOKEN = {
  token_id: "12345678", name: "Scrooge's home charger", status: "Active", valid_from: "2018-04-13T00:00:00Z",
  valid_to: null, valid_infinitely: true, version: 1,
};
const SCROOGE = { ...SCROOGE_ROW, access_group_ids: ["g-pine"], access_station_ids: [], tokens: [TOKEN], version: 3 };
const TREE = {
  items: [
    { group_id: "g-root", name: "ACME Shopping Malls", parent_id: null, depth: 0, version: 1 },
    { group_id: "g-pine", name: "ACME Pine Mall", parent_id: "g-root", depth: 1, version: 1 },
  ],
};
const PICKERS = {
  "GET /groups/tree": [200, TREE] as [number, unknown],
  "GET /stations": [200, { items: [{ station_id: "EVI1", name: "Pine 1", group_id: "g-pine", group_name: "ACME Pine Mall", point_count: 1, firmware_version: null }], cursor: null }] as [number, unknown],
  "GET /user-groups": [200, { items: [{ user_group_id: "ug-1", name: "Duckburg", active: true, member_count: 5 }], cursor: null }] as [number, unknown],
};

function open(role: string, routes: Record<string, [number, unknown] | (() => [number, unknown])>) {
  session.setToken("t1");
  const calls = mockApi({ "GET /auth/session": who(role), "GET /charging-users": [200, { items: [SCROOGE_ROW], cursor: null }], ...PICKERS, ...routes });
  renderApp(<Users params={new URLSearchParams()} />);
  return calls;
}

/** Text typed at once (typing key by key into jsdom takes seconds on a busy machine). */
const fill = (field: HTMLElement, value: string) => fireEvent.change(field, { target: { value } });

/** A Mantine Select's option: its list opens on a click (in a portal) with a transition jsdom does not run. */
async function choose(field: HTMLElement, option: string) {
  await userEvent.click(field);
  await userEvent.click(await screen.findByRole("option", { name: option, hidden: true }));
}

async function addGyro() {
  await userEvent.click(await screen.findByRole("button", { name: "ADD NEW CHARGING USER +" }));
  const dialog = await screen.findByRole("dialog", { name: "Add new charging user" });
  fill(within(dialog).getByLabelText(/^FIRST NAME/), "Gyro");
  fill(within(dialog).getByLabelText(/^LAST NAME/), "Gearloose");
  fill(within(dialog).getByLabelText(/^E-MAIL ADDRESS/), "gyro@duckburg.com");
  await userEvent.click(within(dialog).getByRole("button", { name: "ADD TOKEN +" }));
  fill(within(dialog).getByLabelText(/^TOKEN \(RFID\)/), "12345678");
  await userEvent.click(within(dialog).getByRole("button", { name: "SAVE NEW CHARGING USER" }));
  return dialog;
}

// Dialogs with many fields: slow in jsdom on a shared 2-core machine.
describe("charging users", { timeout: 60_000 }, () => {
  it("lists the users with the manual's columns", async () => {
    open("admin", {});
    const table = await screen.findByRole("table", { name: "Charging users" });
    const header = within(table).getAllByRole("columnheader").map((th) => th.textContent);
    expect(header).toEqual(["Name", "Group", "E-mail address", "Status", "Tokens Qty", "Actions"]);
    expect((await within(table).findByRole("row", { name: /^Scrooge McDuck / })).textContent).toContain("Duckburg");
  });

  it("adds a user with a token and closes the dialog", async () => {
    const calls = open("admin", { "POST /charging-users": [201, SCROOGE] });
    const dialog = await addGyro();
    await screen.findByRole("table", { name: "Charging users" });
    expect(dialog.isConnected).toBe(false);
    const post = calls.find((c) => c.method === "POST");
    expect(post?.body).toMatchObject({
      first_name: "Gyro", last_name: "Gearloose", email: "gyro@duckburg.com", user_group_id: null,
      tokens: [{ token_id: "12345678", name: null, status: "Active", valid_from: null, valid_to: null }],
    });
  });

  it("shows the API's 'Token already exists.' and keeps the dialog open", async () => {
    open("admin", { "POST /charging-users": [409, { message: "Token already exists.", request_id: "r1" }] });
    const dialog = await addGyro();
    expect(await within(dialog).findByRole("alert")).toHaveProperty("textContent", "Token already exists.");
    expect(within(dialog).getByLabelText(/^FIRST NAME/)).toHaveProperty("value", "Gyro");
  });

  it("deactivates a user and blocks a token in one save", async () => {
    const calls = open("admin", {
      "GET /charging-users/scrooge%40duckburg.com": [200, SCROOGE],
      "PUT /charging-users/scrooge%40duckburg.com": [200, { ...SCROOGE, active: false, version: 4 }],
      "PUT /charging-users/scrooge%40duckburg.com/tokens/12345678": [200, { ...TOKEN, status: "Blocked", version: 2 }],
    });
    await userEvent.click(await screen.findByRole("button", { name: /^EDIT ?Scrooge McDuck$/ }));
    const dialog = await screen.findByRole("dialog", { name: "Edit charging user" });
    expect(await within(dialog).findByDisplayValue("Scrooge's home charger")).toBeTruthy();
    expect(within(dialog).getByLabelText(/^E-MAIL ADDRESS/)).toHaveProperty("readOnly", true);
    await choose(within(within(dialog).getByRole("group", { name: "User information" })).getByLabelText("STATUS"), "Inactive");
    await choose(within(within(dialog).getByRole("group", { name: "Token #1" })).getByLabelText("STATUS"), "Blocked");
    await userEvent.click(within(dialog).getByRole("button", { name: "SAVE CHANGES" }));
    await screen.findByRole("table", { name: "Charging users" });
    await expect.poll(() => calls.filter((c) => c.method === "PUT").map((c) => c.body)).toEqual([
      { first_name: "Scrooge", last_name: "McDuck", user_group_id: "ug-1", access_group_ids: ["g-pine"], access_station_ids: [], version: 3, active: false },
      { name: "Scrooge's home charger", status: "Blocked", valid_from: "2018-04-13T00:00:00Z", valid_to: null, version: 1 },
    ]);
  });

  it("deletes a token, then saves as of the user's version the deletion moved", async () => {
    let deleted = false;
    const calls = open("admin", {
      "GET /charging-users/scrooge%40duckburg.com": () => [200, { ...SCROOGE, version: deleted ? 4 : 3, tokens: deleted ? [] : [TOKEN] }],
      "DELETE /charging-users/scrooge%40duckburg.com/tokens/12345678": () => { deleted = true; return [204, null]; },
      "PUT /charging-users/scrooge%40duckburg.com": [200, { ...SCROOGE, tokens: [], version: 5 }],
    });
    await userEvent.click(await screen.findByRole("button", { name: /^EDIT ?Scrooge McDuck$/ }));
    const dialog = await screen.findByRole("dialog", { name: "Edit charging user" });
    await userEvent.click(await within(dialog).findByRole("button", { name: "DELETE TOKEN" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "YES, DELETE" }));
    await within(dialog).findByRole("group", { name: "Authentication tokens: 0" });
    await expect.poll(() => calls.filter((c) => c.method === "GET" && c.url.includes("scrooge")).length).toBeGreaterThan(1);
    await userEvent.click(within(dialog).getByRole("button", { name: "SAVE CHANGES" }));
    await expect.poll(() => calls.find((c) => c.method === "PUT")?.body).toMatchObject({ version: 4, active: true });
  });

  it("gives a basic operator no delete buttons and no activation", async () => {
    open("basic", { "GET /charging-users/scrooge%40duckburg.com": [200, SCROOGE] });
    await userEvent.click(await screen.findByRole("button", { name: /^EDIT ?Scrooge McDuck$/ }));
    const dialog = await screen.findByRole("dialog", { name: "Edit charging user" });
    await within(dialog).findByDisplayValue("12345678");
    expect(within(dialog).queryByRole("button", { name: "DELETE TOKEN" })).toBeNull();
    expect(within(dialog).queryByRole("button", { name: "DELETE THIS CHARGING USER" })).toBeNull();
    expect(within(within(dialog).getByRole("group", { name: "User information" })).getByLabelText("STATUS")).toHaveProperty("readOnly", true);
  });

  it("shows the API's text when the list fails", async () => {
    open("admin", { "GET /charging-users": [503, { message: "Error #503 encountered. If this error persists, please consult user manual for further actions.", request_id: "r2" }] });
    expect((await screen.findByRole("alert")).textContent).toContain("Error #503 encountered.");
  });
});

describe("a token's validity", () => {
  it("runs from the start of its first UTC day to the end of its last, or has no end", () => {
    const draft = { ...newDraft(), token_id: "04A1", name: " Workplace token ", valid_from: "2026-12-01", valid_to: "2026-12-31" };
    expect(fieldsOf({ ...draft, infinite: false })).toEqual({
      name: "Workplace token", status: "Active", valid_from: "2026-12-01T00:00:00Z", valid_to: "2026-12-31T23:59:59Z",
    });
    expect(fieldsOf({ ...draft, infinite: true }).valid_to).toBeNull();
  });
});
