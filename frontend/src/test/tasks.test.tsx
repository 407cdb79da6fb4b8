import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { session } from "../api";
import { bodyOf, EMPTY_FORM } from "../components/tasks/form";
import { Tasks } from "../pages/Tasks";
import { mockApi, renderApp, type Call } from "./render";

const ADMIN = { username: "acme-admin", organization: "ACME", role: "admin", base_group_id: "g-root" };
const CHOICES: Record<string, [number, unknown]> = {
  "GET /auth/session": [200, ADMIN],
  "GET /organization": [200, { org_id: "ACME", name: "ACME", timezone: "Europe/Helsinki", version: 1 }],
  "GET /stations": [200, { items: [{ station_id: "EVI13", name: "EVI13", group_id: "g", group_name: "G", point_count: 1, firmware_version: null }], cursor: null }],
  "GET /charging-users": [200, { items: [], cursor: null }],
  "GET /user-groups": [200, { items: [{ user_group_id: "ug-1", name: "Duckburg", active: true, member_count: 5 }], cursor: null }],
};

const task = (name: string, extra: object = {}) => ({
  task_id: name.toLowerCase().replace(/[^a-z]+/g, "-"), name, type: "max_current", key: { station_id: "EVI13" }, value: { amperes: 6 },
  schedule: { kind: "weekly", hour: 1, minute: 0, weekdays: ["Mon", "Fri"], day_of_month: null, time_zone: "organization" },
  active: true, next_run_at: "2026-11-27T23:00:00Z", next_run_local: "2026-11-28T01:00:00+02:00", organization_time_zone: "Europe/Helsinki",
  retry_at: null, last_run: null, failing: false, version: 3, created_at: "2026-11-26T10:00:00Z", updated_at: "2026-11-26T10:00:00Z", ...extra,
});
const NIGHT = task("Night limit");
const FAILING = task("Duckburg off", {
  type: "user_group_activation", key: { user_group_id: "ug-1" }, value: { active: false },
  schedule: { kind: "daily", hour: 22, minute: 30, weekdays: [], day_of_month: null, time_zone: "UTC" },
  next_run_at: "2026-11-26T22:30:00Z", next_run_local: null, retry_at: "2026-11-26T12:04:00Z", failing: true,
  last_run: { outcome: "Failed", at: "2026-11-26T12:00:00Z", occurrence: "2026-11-26T12:00:00Z", detail: "Charging user group not found." },
});

async function pick(label: string, option: string) {
  const input = screen.getAllByLabelText(new RegExp(`^${label}`)).find((e) => e.tagName === "INPUT");
  await userEvent.click(input!);
  const listbox = await waitFor(() => document.getElementById(input!.getAttribute("aria-controls") ?? "")!);
  await userEvent.click(within(listbox).getByRole("option", { name: option, hidden: true }));
}

describe("schedule tasks", () => {
  it("lists each task's schedule, next run in UTC and local time, and a failing last run in red with its error", async () => {
    session.setToken("t1");
    mockApi({ ...CHOICES, "GET /scheduled-tasks": [200, { items: [NIGHT, FAILING], cursor: null }] });
    renderApp(<Tasks params={new URLSearchParams()} />);
    const night = await screen.findByTestId("task-Night limit");
    expect(within(night).getByText("Weekly Mon, Fri 01:00 Europe/Helsinki")).toBeTruthy();
    expect(within(night).getByTestId("next-run-utc").textContent).toBe("2026-11-27 23:00 UTC");
    expect(within(night).getByTestId("next-run-local").textContent).toBe("2026-11-28 01:00 +02:00 (Europe/Helsinki)");
    expect(within(night).getByText("6 A")).toBeTruthy();
    const failing = screen.getByTestId("task-Duckburg off");
    expect(await within(failing).findByText("Duckburg")).toBeTruthy(); // the key by its name
    expect(within(failing).getByText("Failed")).toBeTruthy();
    expect(within(failing).getByText("Charging user group not found.")).toBeTruthy();
    expect(within(failing).getByText("Retried at 2026-11-26 12:04 UTC")).toBeTruthy();
    expect(within(failing).queryByTestId("next-run-local")).toBeNull();
  });

  it("schedules a weekly task on two weekdays from the dialog", { timeout: 90_000 }, async () => {
    session.setToken("t1");
    let created: Call | null = null;
    mockApi({
      ...CHOICES,
      "GET /scheduled-tasks": () => [200, { items: created ? [NIGHT] : [], cursor: null }],
      "POST /scheduled-tasks": (call) => { created = call; return [201, NIGHT]; },
    });
    renderApp(<Tasks params={new URLSearchParams()} />);
    await userEvent.click(await screen.findByRole("button", { name: "ADD NEW TASK" }));
    const dialog = await screen.findByRole("dialog", { name: "Schedule new task" });
    fireEvent.change(within(dialog).getByLabelText(/^TASK NAME/), { target: { value: "Night limit" } });
    await pick("TASK TYPE", "Max current allowed per charger");
    await pick("KEY", "EVI13");
    await userEvent.type(within(dialog).getByLabelText(/^MAX CURRENT/), "6");
    await pick("SCHEDULE", "Weekly");
    await userEvent.click(within(dialog).getByRole("checkbox", { name: "Monday" }));
    await userEvent.click(within(dialog).getByRole("checkbox", { name: "Friday" }));
    fireEvent.change(within(dialog).getByLabelText("HOUR"), { target: { value: "1" } });
    await pick("TIME ZONE", "Organization's time zone (Europe/Helsinki)");
    await userEvent.click(within(dialog).getByRole("button", { name: "SCHEDULE TASK" }));
    expect(await screen.findByTestId("task-Night limit")).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(created!.body).toEqual({
      name: "Night limit", type: "max_current", key: { station_id: "EVI13" }, value: { amperes: 6 },
      schedule: { kind: "weekly", hour: 1, minute: 0, weekdays: ["Mon", "Fri"], day_of_month: null, time_zone: "organization" },
      active: true,
    });
  });

  it("keeps the dialog open with the API's error text when a value is refused", async () => {
    session.setToken("t1");
    mockApi({
      ...CHOICES,
      "GET /scheduled-tasks": [200, { items: [NIGHT], cursor: null }],
      "PUT /scheduled-tasks/night-limit": [400, { message: "Max current must be between 6 and 80 A.", request_id: "q" }],
    });
    renderApp(<Tasks params={new URLSearchParams()} />);
    const row = await screen.findByTestId("task-Night limit");
    await userEvent.click(within(row).getByRole("button", { name: "EDIT" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit scheduled task" });
    const amperes = within(dialog).getByLabelText(/^MAX CURRENT/);
    expect((amperes as HTMLInputElement).value).toBe("6");
    await userEvent.clear(amperes);
    await userEvent.type(amperes, "200");
    await userEvent.click(within(dialog).getByRole("button", { name: "SAVE CHANGES" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Max current must be between 6 and 80 A.");
  });

  it("deactivates the ticked tasks at once, and copies a task into the edit dialog", async () => {
    session.setToken("t1");
    const calls = mockApi({
      ...CHOICES,
      "GET /scheduled-tasks": [200, { items: [NIGHT, FAILING], cursor: null }],
      "POST /scheduled-tasks/activation": [200, { items: [] }],
      "POST /scheduled-tasks/night-limit/copy": [201, task("Night limit (copy)", { active: false, next_run_at: null, next_run_local: null })],
    });
    renderApp(<Tasks params={new URLSearchParams()} />);
    await userEvent.click(await screen.findByRole("checkbox", { name: "Select all tasks on this page" }));
    await userEvent.click(screen.getByRole("button", { name: "DEACTIVATE" }));
    await screen.findByRole("button", { name: "DEACTIVATE" });
    expect(calls.find((c) => c.url.endsWith("/activation"))?.body).toEqual({ task_ids: ["night-limit", "duckburg-off"], active: false });
    await userEvent.click(within(screen.getByTestId("task-Night limit")).getByRole("button", { name: "COPY TASK" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit scheduled task" });
    expect((within(dialog).getByLabelText(/^TASK NAME/) as HTMLInputElement).value).toBe("Night limit (copy)");
    expect((within(dialog).getByRole("checkbox", { name: "Active" }) as HTMLInputElement).checked).toBe(false);
  });

  it("asks before deleting, then deletes", async () => {
    session.setToken("t1");
    const calls = mockApi({
      ...CHOICES,
      "GET /scheduled-tasks": [200, { items: [NIGHT], cursor: null }],
      "DELETE /scheduled-tasks/night-limit": [204, null],
    });
    renderApp(<Tasks params={new URLSearchParams()} />);
    await userEvent.click(within(await screen.findByTestId("task-Night limit")).getByRole("button", { name: "DELETE" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete scheduled task" });
    expect(within(dialog).getByText("Are you sure you want to delete the scheduled task “Night limit”? Its run history is deleted too.")).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: "DELETE" }));
    await screen.findByTestId("task-Night limit");
    expect(calls.some((c) => c.method === "DELETE")).toBe(true);
  });

  it("shows a task's run history", async () => {
    session.setToken("t1");
    mockApi({
      ...CHOICES,
      "GET /scheduled-tasks": [200, { items: [FAILING], cursor: null }],
      "GET /scheduled-tasks/duckburg-off/runs": [200, { items: [
        { run_id: "r2", occurrence: "2026-11-26T12:00:00Z", attempt: 1, started_at: "2026-11-26T12:01:00Z", finished_at: "2026-11-26T12:01:01Z", outcome: "Failed", detail: "Charging user group not found.", command_id: null },
      ], cursor: null }],
    });
    renderApp(<Tasks params={new URLSearchParams()} />);
    await userEvent.click(within(await screen.findByTestId("task-Duckburg off")).getByRole("button", { name: "RUN HISTORY" }));
    const table = await screen.findByRole("table", { name: "Run history: Duckburg off" });
    await within(table).findByText("Retry 1");
    expect(within(table).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "2026-11-26 12:00 UTC", "Retry 1", "2026-11-26 12:01 UTC", "2026-11-26 12:01 UTC", "Failed", "Charging user group not found.",
    ]);
  });

  it("tells a basic operator the API's 'Access denied.' and offers no task buttons", async () => {
    session.setToken("t1");
    mockApi({
      ...CHOICES,
      "GET /auth/session": [200, { ...ADMIN, username: "acme-basic", role: "basic" }],
      "GET /scheduled-tasks": [403, { message: "Access denied.", request_id: "q" }],
    });
    renderApp(<Tasks params={new URLSearchParams()} />);
    expect((await screen.findByRole("alert")).textContent).toBe("Access denied.");
    expect(screen.queryByRole("button", { name: "ADD NEW TASK" })).toBeNull();
    expect(screen.queryByRole("button", { name: "ACTIVATE" })).toBeNull();
  });

  it("asks the API for the tasks of the chosen type and name", async () => {
    session.setToken("t1");
    const calls = mockApi({ ...CHOICES, "GET /scheduled-tasks": [200, { items: [NIGHT], cursor: null }] });
    renderApp(<Tasks params={new URLSearchParams()} />);
    await screen.findByTestId("task-Night limit");
    await pick("Task type", "User group activation");
    fireEvent.change(screen.getByLabelText("Task name"), { target: { value: "Duck" } });
    await waitFor(() => expect(calls.some((c) => c.url.includes("type=user_group_activation") && c.url.includes("name=Duck"))).toBe(true));
  });
});

describe("the task dialog's body", () => {
  it("sends a monthly day and no weekdays, and a daily schedule with neither", () => {
    const form = { ...EMPTY_FORM, name: "Mid-month on", type: "user_group_activation" as const, key: "ug-1", kind: "monthly" as const,
      weekdays: ["Mon" as const], dayOfMonth: "15", hour: "23", minute: "59" };
    expect(bodyOf(form)).toEqual({
      name: "Mid-month on", type: "user_group_activation", key: { user_group_id: "ug-1" }, value: { active: true },
      schedule: { kind: "monthly", hour: 23, minute: 59, weekdays: [], day_of_month: 15, time_zone: "UTC" }, active: true,
    });
    expect(bodyOf({ ...form, kind: "daily", active: "false" }).schedule).toMatchObject({ kind: "daily", weekdays: [], day_of_month: null });
    expect(bodyOf({ ...form, type: "user_activation", key: "a@b.fi", active: "false" })).toMatchObject({ key: { charging_user_id: "a@b.fi" }, value: { active: false } });
    // Not a number: sent as typed, for the API to refuse in its own words.
    expect(bodyOf({ ...form, hour: "7am" }).schedule.hour).toBe("7am");
  });
});
