import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { session } from "../api";
import { Reports } from "../pages/Reports";
import { mockApi, renderApp } from "./render";

const CHOICES: Record<string, [number, unknown]> = {
  "GET /auth/session": [200, { username: "acme-basic", organization: "ACME", role: "basic", base_group_id: "g-root" }],
  "GET /groups/tree": [200, { items: [{ group_id: "g-root", name: "ACME Shopping Malls", parent_id: null, depth: 0, version: 1 }] }],
  "GET /stations": [200, { items: [{ station_id: "EVI13", name: "EVI13", group_id: "g-root", group_name: "ACME", point_count: 2, firmware_version: null }], cursor: null }],
  "GET /charging-users": [200, { items: [{ user_id: "scrooge@duckburg.com", first_name: "Scrooge", last_name: "McDuck", email: "scrooge@duckburg.com", token_count: 1, active: true }], cursor: null }],
  "GET /charging-users/scrooge@duckburg.com": [200, { user_id: "scrooge@duckburg.com", first_name: "Scrooge", last_name: "McDuck", email: "scrooge@duckburg.com", token_count: 1, active: true, tokens: [{ token_id: "12345678", name: "Home" }] }],
  "GET /user-groups": [200, { items: [{ user_group_id: "ug-1", name: "Duckburg", active: true, member_count: 5 }], cursor: null }],
};

const report = (state: string, extra: object = {}) => ({
  report_id: "r1", state, rows_done: 0, estimate: 0, session_count: 0, total_kwh: 0, timezone: "Europe/Helsinki",
  file_name: "charging-report_ACME_2026-11-01_2026-11-26_Europe-Helsinki.csv", download_url: null, error: null,
  created_at: "2026-11-26T10:00:00Z", updated_at: null, ...extra,
});
const ROW = {
  charging_user: "Scrooge McDuck", token_name: "Home", charging_station: "EVI13", charging_point: 1, kwh: 7.51,
  start: "2026-11-21T10:00:00+02:00", end: "2026-11-21T11:00:00+02:00", token_id: "12345678", station_id: "EVI13", duration_s: 3600,
};

function setDates(from: string, to: string) {
  fireEvent.change(screen.getByLabelText("FROM"), { target: { value: from } });
  fireEvent.change(screen.getByLabelText("TO"), { target: { value: to } });
}

describe("reports", () => {
  it("SHOW DATA posts the selection and shows the rows and the total charging volume", async () => {
    session.setToken("t1");
    const calls = mockApi({
      ...CHOICES,
      "POST /reports": [202, { report_id: "r1", state: "Done" }],
      "GET /reports/r1": [200, report("Done", { rows_done: 1, estimate: 1, session_count: 1, total_kwh: 7.51 })],
      "GET /reports/r1/rows": [200, { rows: [ROW], next_cursor: null }],
    });
    renderApp(<Reports params={new URLSearchParams()} />);
    setDates("2026-11-01", "2026-11-26");
    await userEvent.click(screen.getByRole("button", { name: "SHOW DATA" }));
    expect((await screen.findByTestId("report-total")).textContent).toBe("7.51 kWh");
    const table = screen.getByRole("table", { name: "Charging report" });
    const cells = within(table).getAllByRole("cell").map((c) => c.textContent);
    expect(cells).toEqual(["Scrooge McDuck", "Home", "EVI13", "1", "7.51 kWh", "2026-11-21 10:00 +02:00", "2026-11-21 11:00 +02:00", "12345678", "EVI13", "1 h 00 min"]);
    const post = calls.find((c) => c.method === "POST");
    expect(post?.body).toEqual({ from: "2026-11-01", to: "2026-11-26", group_ids: [], station_ids: [], points: [], charging_user_ids: [], user_group_ids: [], token_ids: [], format: "csv", delimiter: "," });
    // No download link for SHOW DATA alone.
    expect(screen.queryByRole("link", { name: /^DOWNLOAD/ })).toBeNull();
  });

  it("EXPORT CSV with a semicolon shows the job's progress, then the download link", async () => {
    session.setToken("t1");
    let polls = 0;
    const calls = mockApi({
      ...CHOICES,
      "POST /reports": [202, { report_id: "r1", state: "Running" }],
      "GET /reports/r1": () => {
        polls += 1;
        return polls < 2
          ? [200, report("Running", { rows_done: 400, estimate: 1000 })]
          : [200, report("Done", { rows_done: 1000, estimate: 1000, session_count: 1000, total_kwh: 2388.71, download_url: "http://s3.local/r1.csv?sig=1" })];
      },
    });
    renderApp(<Reports params={new URLSearchParams()} />);
    await userEvent.click(screen.getByRole("radio", { name: "Semicolon (;)" }));
    await userEvent.click(screen.getByRole("button", { name: "EXPORT CSV" }));
    const bar = await screen.findByRole("progressbar", { name: "Report progress" });
    expect(bar.getAttribute("aria-valuenow")).toBe("40");
    expect(screen.getByTestId("report-progress").textContent).toContain("400 / 1000 rows");
    const link = await screen.findByRole("link", { name: "DOWNLOAD charging-report_ACME_2026-11-01_2026-11-26_Europe-Helsinki.csv" });
    expect(link.getAttribute("href")).toBe("http://s3.local/r1.csv?sig=1");
    expect(screen.getByTestId("report-total").textContent).toBe("2,388.71 kWh");
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({ delimiter: ";" });
  });

  it("a Failed job says why", async () => {
    session.setToken("t1");
    mockApi({
      ...CHOICES,
      "POST /reports": [202, { report_id: "r1", state: "Running" }],
      "GET /reports/r1": [200, report("Failed", { error: "ClientError: the bucket is gone" })],
    });
    renderApp(<Reports params={new URLSearchParams()} />);
    await userEvent.click(screen.getByRole("button", { name: "EXPORT CSV" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The report failed: ClientError: the bucket is gone");
  });

  it("shows the API's error text and no report when the dates are refused", async () => {
    session.setToken("t1");
    mockApi({
      ...CHOICES,
      "POST /reports": [400, { message: "The end date of a report cannot be before its start date.", request_id: "q" }],
    });
    renderApp(<Reports params={new URLSearchParams()} />);
    setDates("2026-11-26", "2026-11-01");
    await userEvent.click(screen.getByRole("button", { name: "SHOW DATA" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The end date of a report cannot be before its start date.");
    expect(screen.queryByRole("table")).toBeNull();
  });
});
