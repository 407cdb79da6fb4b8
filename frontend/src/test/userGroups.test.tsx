import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { session } from "../api";
import { UserGroups } from "../pages/UserGroups";
import { mockApi, renderApp } from "./render";

type Reply = [number, unknown];
const who = (role: string): Reply => [200, { username: "op", organization: "ACME", role, base_group_id: "g-root" }];
const DUCKBURG_ROW = { user_group_id: "ug-1", name: "Duckburg", active: true, member_count: 1 };
const SCROOGE = { user_id: "scrooge@duckburg.com", first_name: "Scrooge", last_name: "McDuck", email: "scrooge@duckburg.com" };
const DUCKBURG = { ...DUCKBURG_ROW, members: [SCROOGE], version: 2 };
const USERS: Reply = [200, {
  items: [
    { ...SCROOGE, user_group_id: "ug-1", user_group_name: "Duckburg", token_count: 1, active: true },
    { user_id: "dduck@duckburg.com", first_name: "Donald", last_name: "Duck", email: "dduck@duckburg.com", user_group_id: null, user_group_name: null, token_count: 0, active: true },
  ],
  cursor: null,
}];

function open(role: string, routes: Record<string, Reply>) {
  session.setToken("t1");
  const calls = mockApi({
    "GET /auth/session": who(role), "GET /user-groups": [200, { items: [DUCKBURG_ROW], cursor: null }],
    "GET /charging-users": USERS, "GET /user-groups/ug-1": [200, DUCKBURG], ...routes,
  });
  renderApp(<UserGroups params={new URLSearchParams()} />);
  return calls;
}

// Dialogs with pickers: slow in jsdom on a shared 2-core machine.
describe("charging user groups", { timeout: 60_000 }, () => {
  it("lists the groups with the manual's columns", async () => {
    open("admin", {});
    const table = await screen.findByRole("table", { name: "Charging user groups" });
    expect(within(table).getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["Charging user group name", "Group members", "Status", "Actions"]);
    expect((await within(table).findByRole("row", { name: /^Duckburg 1 Active/ })).textContent).toContain("EDIT");
  });

  it("adds a group with a member", async () => {
    const calls = open("admin", { "POST /user-groups": [201, { ...DUCKBURG, user_group_id: "ug-2", name: "Company managers" }] });
    await userEvent.click(await screen.findByRole("button", { name: "ADD NEW CHARGING USER GROUP +" }));
    const dialog = await screen.findByRole("dialog", { name: "Add new charging user group" });
    fireEvent.change(within(dialog).getByLabelText(/^Name/), { target: { value: "Company managers" } });
    await userEvent.click(within(dialog).getByLabelText("SELECT MEMBERS: Charging users"));
    await userEvent.click(await screen.findByRole("option", { name: "Donald Duck (dduck@duckburg.com)", hidden: true }));
    await userEvent.click(within(dialog).getByRole("button", { name: "SAVE NEW CHARGING USER GROUP" }));
    await expect.poll(() => dialog.isConnected).toBe(false);
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "Company managers", member_ids: ["dduck@duckburg.com"], active: true });
  });

  it("shows the API's text when a group with members is deleted", async () => {
    const refusal = "The charging user group has members. Remove them before deleting the group.";
    open("admin", { "DELETE /user-groups/ug-1": [409, { message: refusal, request_id: "r1" }] });
    await userEvent.click(await screen.findByRole("button", { name: /^EDIT ?Duckburg$/ }));
    const dialog = await screen.findByRole("dialog", { name: "Edit charging user group" });
    await within(dialog).findByText("Scrooge McDuck (scrooge@duckburg.com)");
    await userEvent.click(within(dialog).getByRole("button", { name: "DELETE CHARGING USER GROUP" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "YES, DELETE" }));
    expect(await within(dialog).findByRole("alert")).toHaveProperty("textContent", refusal);
  });

  it("shows a basic operator the members but no buttons to change them", async () => {
    open("basic", {});
    await userEvent.click(await screen.findByRole("button", { name: /^SHOW ?Duckburg$/ }));
    expect(screen.queryByRole("button", { name: "ADD NEW CHARGING USER GROUP +" })).toBeNull();
    const dialog = await screen.findByRole("dialog", { name: "Charging user group" });
    expect(await within(dialog).findByText("Scrooge McDuck (scrooge@duckburg.com)")).toBeTruthy();
    expect(within(dialog).queryByRole("button", { name: "SAVE CHANGES" })).toBeNull();
    expect(within(dialog).queryByRole("button", { name: "DELETE CHARGING USER GROUP" })).toBeNull();
  });
});
