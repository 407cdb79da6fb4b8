import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { session } from "../api";
import { Operators } from "../pages/Operators";
import { mockApi, renderApp } from "./render";

const ADMIN = { username: "acme-admin", organization: "ACME", role: "admin", base_group_id: "g-root" };
const TREE = {
  items: [
    { group_id: "g-root", name: "ACME Shopping Malls", parent_id: null, depth: 0, version: 1 },
    { group_id: "g-pine", name: "ACME Pine Mall", parent_id: "g-root", depth: 1, version: 1 },
  ],
};
const operator = (username: string, activated: boolean) => ({
  username, email: `${username}@acme.example`, first_name: "Manius", last_name: "Maximus", role: "basic", status: "Active",
  activated, base_group_id: "g-pine", base_group_name: "ACME Pine Mall", invited_at: null, version: 2,
});

function asAdmin(routes: Parameters<typeof mockApi>[0]) {
  session.setToken("t1");
  return mockApi({ "GET /auth/session": [200, ADMIN], "GET /groups/tree": [200, TREE], ...routes });
}
const view = (query: string) => renderApp(<Operators params={new URLSearchParams(query)} />);

describe("operator list", () => {
  it("lists the operators with their status and base group, filters by status and resends an invitation", async () => {
    const calls = asAdmin({
      "GET /operators": [200, { items: [operator("manius", true), operator("scrooge", false)], cursor: null }],
      "POST /operators/scrooge/invitation": [202, { message: "Invitation sent." }],
    });
    view("");
    const row = await screen.findByRole("row", { name: /^scrooge / });
    expect(within(row).getAllByRole("cell").map((c) => c.textContent).slice(0, 5))
      .toEqual(["scrooge", "Manius Maximus", "scrooge@acme.example", "Invited", "ACME Pine Mall"]);
    expect(within(screen.getByRole("row", { name: /^manius / })).queryByRole("button", { name: /Resend/ })).toBeNull();
    await userEvent.click(within(row).getByRole("button", { name: "Resend the invitation e-mail to scrooge" }));
    expect((await screen.findByRole("status")).textContent).toBe("Invitation sent.");
    await userEvent.selectOptions(screen.getByLabelText("Select status"), "Inactive");
    await waitFor(() => expect(calls.some((c) => c.url.includes("status=Inactive"))).toBe(true));
  });

  it("shows the API's refusal in its words", async () => {
    asAdmin({ "GET /operators": [403, { message: "Access denied." }] });
    view("");
    expect((await screen.findByRole("alert")).textContent).toBe("Access denied.");
  });
});

describe("invite new operator", () => {
  // Pasted rather than typed key by key: six fields would take seconds each on a busy machine.
  async function put(label: RegExp, text: string) {
    await userEvent.click(await screen.findByLabelText(label));
    await userEvent.paste(text);
  }

  async function fill() {
    await put(/^E-MAIL ADDRESS/, "scrooge@duckburg.example");
    await put(/^CONFIRM E-MAIL ADDRESS/, "scrooge@duckburg.example");
    await put(/^USERNAME/, "scrooge");
    await put(/^FIRST NAME/, "Scrooge");
    await put(/^LAST NAME/, "McDuck");
    await userEvent.click(screen.getByRole("radio", { name: /Admin operator/ }));
    await userEvent.selectOptions(screen.getByLabelText(/^BASE GROUP/), "g-pine");
    await userEvent.click(screen.getByRole("button", { name: "SEND INVITATION" }));
  }

  it("sends the invitation with the chosen role and base group, then shows the list", async () => {
    const calls = asAdmin({ "POST /operators": [201, operator("scrooge", false)], "GET /operators": [200, { items: [], cursor: null }] });
    view("invite=1");
    await fill();
    await waitFor(() => expect(window.location.hash).toBe("#/operators"));
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      email: "scrooge@duckburg.example", email_confirmation: "scrooge@duckburg.example", username: "scrooge",
      first_name: "Scrooge", last_name: "McDuck", role: "admin", base_group_id: "g-pine",
    });
  });

  it("shows the manual's text when the username is taken", async () => {
    asAdmin({ "POST /operators": [409, { message: "Username already exists." }] });
    view("invite=1");
    await fill();
    expect((await screen.findByRole("alert")).textContent).toBe("Username already exists.");
  });
});

describe("edit operator", () => {
  it("saves the status, asks before deleting and shows the API's refusal", async () => {
    const calls = asAdmin({
      "GET /operators/manius": [200, operator("manius", true)],
      "PUT /operators/manius": [409, { message: "Error while updating operator." }],
      "DELETE /operators/manius": [403, { message: "You cannot deactivate, demote, move or delete your own operator account." }],
      "POST /operators/manius/password-reset": [202, { message: "Password reset e-mail sent." }],
    });
    view("username=manius");
    await userEvent.selectOptions(await screen.findByLabelText(/^STATUS/), "Inactive");
    await userEvent.click(screen.getByRole("button", { name: "SAVE CHANGES +" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Error while updating operator.");
    expect(calls.find((c) => c.method === "PUT")?.body).toMatchObject({ status: "Inactive", version: 2, base_group_id: "g-pine" });
    await userEvent.click(screen.getByRole("button", { name: "RESET PASSWORD" }));
    expect((await screen.findByRole("status")).textContent).toBe("Password reset e-mail sent.");
    expect(calls.find((c) => c.url.endsWith("/password-reset"))?.body).toEqual({ email: "manius@acme.example" });
    await userEvent.click(screen.getByRole("button", { name: "DELETE THIS OPERATOR" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("Delete the operator manius? This cannot be undone.")).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: "YES, DELETE" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("You cannot deactivate, demote, move or delete your own operator account.");
  });
});
