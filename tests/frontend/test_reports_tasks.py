"""Reports and Schedule tasks in chromium against the local stack: sessions charged by a real OCPP charger,
SHOW DATA and EXPORT CSV (the CSV fetched with its presigned link), a weekly task made in the dialog, listed
with its next run, deactivated, copied, refused with the API's words; axe on each view and dialog."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import threading
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.frontend.browser import assert_accessible, log_in, screenshot
from tests.integration.chargers import call, charger

# (station, start, stop, meter start Wh, meter stop Wh): 7.51 + 2.50 + 4.25 = 14.26 kWh
SESSIONS = [
    ("EVI00000013", "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", 2_000_000, 2_007_510),
    ("EVI00000013", "2026-11-20T12:00:00Z", "2026-11-20T13:30:00Z", 2_007_510, 2_010_010),
    ("EVI00000015", "2026-11-21T10:00:00Z", "2026-11-21T10:45:00Z", 500_000, 504_250),
]


async def _charge(ws_url: str) -> None:
    """Each station boots, then charges its sessions with Scrooge's token, as a charger would."""
    for station in dict.fromkeys(s[0] for s in SESSIONS):
        async with charger(f"{ws_url}/{station}", station) as (cp, _ws):
            await cp.call(call.BootNotification(charge_point_vendor="Ensto", charge_point_model="EVF100"))
            for _, start, stop, meter_start, meter_stop in (s for s in SESSIONS if s[0] == station):
                started = await cp.call(call.StartTransaction(connector_id=1, id_tag="12345678", meter_start=meter_start, timestamp=start))
                await cp.call(call.StopTransaction(meter_stop=meter_stop, timestamp=stop, transaction_id=started.transaction_id,
                                                   id_tag="12345678", reason="Local"))


@pytest.fixture(scope="module")
def charged(stack):
    """The sessions, charged on a thread of their own (Playwright's sync API owns the test's event loop)."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(_charge(f"ws://127.0.0.1:{stack.ws_port}/ocpp"))
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive() and not errors, errors
    return stack


def _pick(page, label: str, option: str, close: bool = False) -> None:
    """Choose an option of a Mantine select or multi-select by its label (`close`: a multi-select's list too;
    never in a dialog, which Escape closes)."""
    page.get_by_label(re.compile(f"^{re.escape(label)}( \\*)?$")).and_(page.locator("input")).click()
    page.get_by_role("option", name=option, exact=True).click()
    if close:
        page.keyboard.press("Escape")


def _open_reports(page, stack, frm: str, to: str) -> None:
    log_in(page, stack, "acme-basic", stack.credentials()["acme-basic"])  # basic operators may run reports
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Reports").click()
    page.get_by_label("FROM", exact=True).fill(frm)
    page.get_by_label("TO", exact=True).fill(to)


def test_show_data_lists_the_sessions_with_their_total_and_a_point_filter_narrows_it(charged, page):
    _open_reports(page, charged, "2026-11-20", "2026-11-21")
    expect(page.get_by_role("textbox", name="Select tokens").or_(page.get_by_role("combobox", name="Select tokens"))).to_be_visible()
    page.get_by_label(re.compile("^Select charging user$")).and_(page.locator("input")).click()
    expect(page.get_by_role("option", name="Scrooge McDuck (scrooge@duckburg.com)")).to_be_visible()  # the basic operator's lists load
    page.keyboard.press("Escape")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="SHOW DATA").click()
    expect(page.get_by_test_id("report-total")).to_have_text("14.26 kWh")
    table = page.get_by_role("table", name="Charging report")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody tr").first).to_contain_text("Scrooge McDuck")
    expect(table.locator("tbody tr").first).to_contain_text("2026-11-20 10:00 +02:00")  # Helsinki time
    expect(table.locator("tbody tr").first).to_contain_text("7.51 kWh")
    assert_accessible(page)
    screenshot(page, "reports")

    _pick(page, "Select charging points", "EVI00000015: all charging points", close=True)
    page.get_by_role("button", name="SHOW DATA").click()
    expect(page.get_by_test_id("report-total")).to_have_text("4.25 kWh")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("EVI00000015")


def test_export_csv_gives_a_link_to_the_file_with_the_chosen_delimiter(charged, page):
    _open_reports(page, charged, "2026-11-20", "2026-11-21")
    page.get_by_text("Semicolon (;)").click()
    page.get_by_role("button", name="EXPORT CSV").click()
    link = page.get_by_role("link", name="DOWNLOAD charging-report_")
    expect(link).to_be_visible()
    expect(page.get_by_test_id("report-total")).to_have_text("14.26 kWh")
    assert_accessible(page)
    with urllib.request.urlopen(link.get_attribute("href"), timeout=30) as answer:  # noqa: S310 (the stack's S3)
        text = answer.read().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:5] == ["Charging user", "Token name", "Charging station", "Charging point", "Charging volume (kWh)"]
    assert [(line[2], line[4], line[5]) for line in lines[1:]] == [
        ("EVI00000013", "7.510", "2026-11-20T10:00:00+02:00"),
        ("EVI00000013", "2.500", "2026-11-20T14:00:00+02:00"),
        ("EVI00000015", "4.250", "2026-11-21T12:00:00+02:00"),
    ]


def test_a_refused_selection_shows_the_api_s_text(charged, page):
    _open_reports(page, charged, "2026-11-21", "2026-11-20")
    page.get_by_role("button", name="SHOW DATA").click()
    expect(page.get_by_role("alert")).to_have_text("The end date of a report cannot be before its start date.")
    expect(page.get_by_role("table", name="Charging report")).to_have_count(0)


# --- schedule tasks ----------------------------------------------------------------------------------------------


def _next_weekly(days: set[int], hour: int, minute: int, now: datetime) -> datetime:
    """The next occurrence in UTC of a weekly schedule (Monday = 0), strictly after now."""
    day = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    while day <= now or day.weekday() not in days:
        day += timedelta(days=1)
    return day


def _fill_task(page, name: str, amperes: str) -> None:
    dialog = page.get_by_role("dialog", name="Schedule new task")
    dialog.get_by_label("TASK NAME").fill(name)
    _pick(page, "TASK TYPE", "Max current allowed per charger")
    _pick(page, "KEY", "EVI00000014")
    dialog.get_by_label("MAX CURRENT").fill(amperes)
    _pick(page, "SCHEDULE", "Weekly")
    dialog.get_by_role("checkbox", name="Monday").check()
    dialog.get_by_role("checkbox", name="Thursday").check()
    dialog.get_by_label("HOUR", exact=True).fill("6")
    dialog.get_by_label("MINUTE", exact=True).fill("30")


def test_a_weekly_task_is_scheduled_listed_deactivated_and_copied(stack, page):
    log_in(page, stack, "acme-admin", stack.credentials()["acme-admin"])
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Schedule tasks").click()
    expect(page.get_by_text("No scheduled tasks found.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="ADD NEW TASK").click()
    _fill_task(page, "Morning limit", "200")
    assert_accessible(page)
    dialog = page.get_by_role("dialog", name="Schedule new task")
    dialog.get_by_role("button", name="SCHEDULE TASK").click()
    expect(dialog.get_by_role("alert")).to_have_text("Max current must be between 6 and 80 A.")
    dialog.get_by_label("MAX CURRENT").fill("16")
    before = datetime.now(UTC)
    dialog.get_by_role("button", name="SCHEDULE TASK").click()
    expect(dialog).to_have_count(0)

    row = page.get_by_test_id("task-Morning limit")
    expect(row).to_contain_text("Weekly Mon, Thu 06:30 UTC")
    expect(row).to_contain_text("16 A")
    expected = _next_weekly({0, 3}, 6, 30, before)
    expect(row.get_by_test_id("next-run-utc")).to_have_text(expected.strftime("%Y-%m-%d %H:%M UTC"))
    expect(row).to_contain_text("Not run yet")
    assert_accessible(page)
    screenshot(page, "tasks")

    row.get_by_role("checkbox", name="Select Morning limit").check()
    page.get_by_role("button", name="DEACTIVATE").click()
    expect(row.get_by_text("Not scheduled (inactive)")).to_be_visible()
    expect(row.locator("td").nth(8)).to_have_text("No")

    row.get_by_role("button", name="COPY TASK").click()
    edit = page.get_by_role("dialog", name="Edit scheduled task")
    expect(edit.get_by_label("TASK NAME")).to_have_value("Morning limit (copy)")
    edit.get_by_label("MAX CURRENT").fill("32")
    edit.get_by_role("checkbox", name="Active").check()
    assert_accessible(page)
    edit.get_by_role("button", name="SAVE CHANGES").click()
    expect(edit).to_have_count(0)
    copy = page.get_by_test_id("task-Morning limit (copy)")
    expect(copy).to_contain_text("32 A")
    expect(copy.get_by_test_id("next-run-utc")).to_have_text(_next_weekly({0, 3}, 6, 30, before).strftime("%Y-%m-%d %H:%M UTC"))

    copy.get_by_role("button", name="RUN HISTORY").click()
    history = page.get_by_role("dialog", name="Run history: Morning limit (copy)")
    expect(history.get_by_text("This task has not run yet.")).to_be_visible()
    assert_accessible(page)
    history.get_by_role("button", name="CLOSE", exact=True).click()

    copy.get_by_role("button", name="DELETE").click()
    confirm = page.get_by_role("dialog", name="Delete scheduled task")
    expect(confirm).to_contain_text("Are you sure you want to delete the scheduled task “Morning limit (copy)”?")
    assert_accessible(page)
    confirm.get_by_role("button", name="DELETE", exact=True).click()
    expect(copy).to_have_count(0)
    expect(row).to_be_visible()


def test_a_basic_operator_has_no_tasks_menu_and_the_view_says_access_denied(stack, page):
    log_in(page, stack, "acme-basic", stack.credentials()["acme-basic"])
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Reports")).to_be_visible()
    expect(menu.get_by_role("link", name="Schedule tasks")).to_have_count(0)
    page.goto(stack.url + "/#/tasks")
    expect(page.get_by_role("alert")).to_have_text("Access denied.")
    expect(page.get_by_role("button", name="ADD NEW TASK")).to_have_count(0)
    assert_accessible(page)
