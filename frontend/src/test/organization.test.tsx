import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { session } from "../api";
import { Organization } from "../pages/Organization";
import { mockApi, renderApp } from "./render";

const ORG = { org_id: "ACME", name: "ACME", timezone: "Europe/Helsinki", version: 4 };
const who = (role: string) => ({ username: `acme-${role}`, organization: "ACME", role, base_group_id: "g-root" });

function as(role: string, routes: Parameters<typeof mockApi>[0]) {
  session.setToken("t1");
  return mockApi({ "GET /auth/session": [200, who(role)], "GET /organization": [200, ORG], ...routes });
}
const view = () => renderApp(<Organization params={new URLSearchParams()} />);

describe("organization time zone", () => {
  it("saves the chosen IANA zone and shows it as the current one", async () => {
    const calls = as("admin", { "PUT /organization": [200, { ...ORG, timezone: "America/New_York", version: 5 }] });
    view();
    expect((await screen.findByTestId("current-timezone")).textContent).toBe("Europe/Helsinki");
    await userEvent.selectOptions(await screen.findByLabelText(/^TIME ZONE/), "America/New_York");
    await userEvent.click(await screen.findByRole("button", { name: "SAVE CHANGES" }));
    expect((await screen.findByRole("status")).textContent).toBe("The organization's settings are saved.");
    await waitFor(() => expect(screen.getByTestId("current-timezone").textContent).toBe("America/New_York"));
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ name: "ACME", timezone: "America/New_York", version: 4 });
  });

  it("shows the API's text when someone changed the organization meanwhile", async () => {
    const changed = "The organization was changed by someone else meanwhile. Refresh the page and try again.";
    as("admin", { "PUT /organization": [409, { message: changed }] });
    view();
    await userEvent.click(await screen.findByRole("button", { name: "SAVE CHANGES" }));
    expect((await screen.findByRole("alert")).textContent).toBe(changed);
  });

  it("gives a basic operator no save button", async () => {
    as("basic", {});
    view();
    expect((await screen.findByTestId("current-timezone")).textContent).toBe("Europe/Helsinki");
    await screen.findByText(/Only admin operators/);
    expect(screen.queryByRole("button", { name: "SAVE CHANGES" })).toBeNull();
    expect(screen.getByLabelText(/^TIME ZONE/)).toHaveProperty("disabled", true);
  });
});
