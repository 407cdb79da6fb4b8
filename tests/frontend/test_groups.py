"""Charging groups, operators and the organization's time zone in Debian's chromium against the local stack."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.frontend.browser import assert_accessible, log_in, screenshot

INDENT = "\u00a0\u00a0\u00a0"  # the group pickers indent each level (components/groups/GroupSelect.tsx)
HAS_SUBGROUPS = "The charging group cannot be deleted: it has subgroups. Move them under some other group first."
HAS_STATIONS = "The charging group cannot be deleted: it contains charging stations. Remove them from the group first."


@pytest.fixture(autouse=True, scope="module")
def patient_expect():
    """Assertions wait as long as actions (15 s): the machine is shared, a refetch can take seconds."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def logged_in(page, stack, username: str) -> None:
    log_in(page, stack, username, stack.credentials()[username])
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def open_menu(page, item: str) -> None:
    page.get_by_role("navigation", name="Main menu").get_by_text(item, exact=True).click()
    expect(page.get_by_role("heading", name=item, level=1)).to_be_visible()


def group_names(page) -> list[str]:
    table = page.get_by_role("table", name="Charging groups of your domain as a tree")
    expect(table).to_be_visible()
    return [name.strip() for name in table.locator("tbody tr td:first-child").all_inner_texts()]


def shows(page, read, expected, part=slice(None), within: float = 15.0) -> None:
    """Retried like Playwright's expect: the list is read again (its data refreshes after a save) until it matches."""
    deadline = time.monotonic() + within
    while read(page)[part] != expected and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert read(page)[part] == expected


def station_counts(page) -> list[str]:
    return page.get_by_role("table", name="Charging groups of your domain as a tree").locator("tbody tr td:nth-child(2)").all_inner_texts()


def settled(page) -> None:
    """Wait for the dialog's fade-in: axe would measure the contrast of half-transparent text."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")


def confirm_in_dialog(page, button: str):
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    settled(page)
    assert_accessible(page)
    dialog.get_by_role("button", name=button).click()
    return dialog


def test_admin_adds_edits_moves_and_deletes_a_group(stack, page):
    logged_in(page, stack, "acme-admin")
    open_menu(page, "Charging groups")
    expect(page.get_by_role("link", name="ACME Maple Mall", exact=True)).to_be_visible()
    assert group_names(page) == ["ACME Shopping Malls", "└ ACME Birch Mall", "└ ACME Maple Mall", "└ ACME Pine Mall"]
    assert station_counts(page) == ["6", "2", "2", "2"]
    assert_accessible(page)
    screenshot(page, "groups")

    # Add: under Pine Mall, with a station moved in from Maple Mall.
    page.get_by_role("link", name="ADD NEW CHARGING GROUP +", exact=True).first.click()
    expect(page.get_by_role("heading", name="Add new charging group")).to_be_visible()
    page.get_by_label("NAME").fill("ACME Oak Corner")
    page.get_by_label("PARENT GROUP").select_option(label=f"{INDENT}ACME Pine Mall")
    page.get_by_label("Search for charging stations").fill("EVI00000018")
    page.get_by_role("button", name="Add EVI00000018 to this group", exact=True).click()
    expect(page.get_by_role("link", name="EVI00000018", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="SAVE CHANGES +", exact=True).click()
    expect(page.get_by_role("link", name="ACME Oak Corner", exact=True)).to_be_visible()
    shows(page, group_names, ["└ ACME Pine Mall", "└ ACME Oak Corner"], slice(3, 5))
    shows(page, station_counts, ["6", "2", "1", "3", "1"])  # Pine Mall counts its subgroup's station

    # A group with a subgroup stays, and the dialog says why in the API's words.
    page.get_by_role("link", name="Edit ACME Pine Mall", exact=True).click()
    expect(page.get_by_role("heading", name="Edit charging group")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="DELETE THIS GROUP", exact=True).click()
    dialog = confirm_in_dialog(page, "YES, DELETE")
    expect(dialog.get_by_role("alert")).to_have_text(HAS_SUBGROUPS)
    dialog.get_by_role("button", name="CANCEL", exact=True).click()
    page.get_by_role("link", name="CANCEL", exact=True).click()  # back to the group's statistics
    expect(page.get_by_role("heading", name="Charging group ACME Pine Mall")).to_be_visible()
    open_menu(page, "Charging groups")

    # Edit: rename and move under Birch Mall.
    page.get_by_role("link", name="Edit ACME Oak Corner", exact=True).click()
    expect(page.get_by_label("NAME")).to_have_value("ACME Oak Corner")
    page.get_by_label("NAME").fill("ACME Oak Plaza")
    page.get_by_label("PARENT GROUP").select_option(label=f"{INDENT}ACME Birch Mall")
    page.get_by_role("button", name="SAVE CHANGES +", exact=True).click()
    expect(page.get_by_role("link", name="ACME Oak Plaza", exact=True)).to_be_visible()
    shows(page, group_names, ["└ ACME Birch Mall", "└ ACME Oak Plaza"], slice(1, 3))

    # Delete: refused while it holds a station, done once the station is out.
    page.get_by_role("link", name="Edit ACME Oak Plaza", exact=True).click()
    page.get_by_role("button", name="DELETE THIS GROUP", exact=True).click()
    dialog = confirm_in_dialog(page, "YES, DELETE")
    expect(dialog.get_by_role("alert")).to_have_text(HAS_STATIONS)
    dialog.get_by_role("button", name="CANCEL", exact=True).click()
    page.get_by_role("button", name="Remove EVI00000018 from this group", exact=True).click()
    confirm_in_dialog(page, "YES, REMOVE")
    expect(page.get_by_text("No charging stations in this group.")).to_be_visible()
    page.get_by_role("button", name="DELETE THIS GROUP", exact=True).click()
    confirm_in_dialog(page, "YES, DELETE")
    expect(page.get_by_role("table", name="Charging groups of your domain as a tree")).to_be_visible()
    expect(page.get_by_role("link", name="ACME Oak Plaza", exact=True)).to_have_count(0)

    # The station goes back to Maple Mall from that group's edit view.
    page.get_by_role("link", name="Edit ACME Maple Mall", exact=True).click()
    page.get_by_label("Search for charging stations").fill("EVI00000018")
    expect(page.get_by_role("row", name=re.compile(r"^EVI00000018 no charging group"))).to_be_visible()  # fresh, not cached
    page.get_by_role("button", name="Add EVI00000018 to this group", exact=True).click()
    expect(page.get_by_role("button", name="Remove EVI00000018 from this group", exact=True)).to_be_visible()


def test_group_statistics_as_on_the_dashboard(stack, page):
    logged_in(page, stack, "acme-admin")
    open_menu(page, "Charging groups")
    page.get_by_role("link", name="ACME Shopping Malls", exact=True).click()
    expect(page.get_by_role("heading", name="Charging group ACME Shopping Malls")).to_be_visible()
    expect(page.get_by_test_id("group-figure-stations")).to_have_text("6")
    expect(page.get_by_test_id("group-figure-points")).to_have_text("6")
    expect(page.get_by_text("NO STATIONS")).to_be_visible()  # its stations are in the malls
    for mall in ("ACME Pine Mall", "ACME Birch Mall", "ACME Maple Mall"):
        expect(page.get_by_role("link", name=mall, exact=True)).to_be_visible()
    expect(page.locator("[data-testid=consumption] svg")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "group-statistics")
    page.get_by_role("link", name="EDIT THIS CHARGING GROUP", exact=True).click()
    expect(page.get_by_text("This is your base group: it cannot be moved.")).to_be_visible()


def test_admin_invites_edits_and_deletes_an_operator(stack, page):
    logged_in(page, stack, "acme-admin")
    open_menu(page, "Operators")
    expect(page.get_by_role("row", name=re.compile(r"^acme-basic Manius Maximus "))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "operators")
    page.get_by_role("link", name="INVITE NEW OPERATOR +", exact=True).first.click()
    expect(page.get_by_role("heading", name="Invite new operator")).to_be_visible()
    page.get_by_label(re.compile(r"^E-MAIL ADDRESS")).fill("scrooge@duckburg.example")
    page.get_by_label("CONFIRM E-MAIL ADDRESS").fill("scrooge@duckburg.example")
    page.get_by_label("USERNAME").fill("scrooge")
    page.get_by_label("FIRST NAME").fill("Scrooge")
    page.get_by_label("LAST NAME").fill("McDuck")
    page.get_by_label("BASE GROUP").select_option(label=f"{INDENT}ACME Pine Mall")
    assert_accessible(page)
    page.get_by_role("button", name="SEND INVITATION", exact=True).click()
    row = page.get_by_role("row", name=re.compile(r"^scrooge "))
    expect(row).to_contain_text("Invited")
    expect(row).to_contain_text("ACME Pine Mall")

    # The same username again: the API's text.
    page.get_by_role("link", name="INVITE NEW OPERATOR +", exact=True).first.click()
    page.get_by_label(re.compile(r"^E-MAIL ADDRESS")).fill("scrooge2@duckburg.example")
    page.get_by_label("CONFIRM E-MAIL ADDRESS").fill("scrooge2@duckburg.example")
    page.get_by_label("USERNAME").fill("scrooge")
    page.get_by_label("FIRST NAME").fill("Scrooge")
    page.get_by_label("LAST NAME").fill("McDuck")
    page.get_by_role("button", name="SEND INVITATION", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Username already exists.")
    page.get_by_role("link", name="CANCEL", exact=True).click()

    page.get_by_role("link", name="Edit scrooge", exact=True).click()
    expect(page.get_by_role("heading", name="Edit operator")).to_be_visible()
    expect(page.get_by_label("USERNAME")).to_have_value("scrooge")
    assert_accessible(page)
    page.get_by_role("button", name="SEND REMINDER", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Reminder sent.")
    page.get_by_role("button", name="DELETE THIS OPERATOR", exact=True).click()
    confirm_in_dialog(page, "YES, DELETE")
    expect(page.get_by_role("row", name=re.compile(r"^acme-basic "))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^scrooge "))).to_have_count(0)


def test_basic_operator_sees_no_admin_buttons(stack, page):
    logged_in(page, stack, "acme-basic")
    expect(page.get_by_role("navigation", name="Main menu").get_by_text("Operators", exact=True)).to_have_count(0)
    page.get_by_role("button", name=re.compile("Operator functions")).click()
    expect(page.get_by_role("menuitem", name="My account")).to_be_visible()
    expect(page.get_by_role("menuitem", name="Organization")).to_have_count(0)
    page.keyboard.press("Escape")
    open_menu(page, "Charging groups")
    page.get_by_role("link", name="Edit ACME Pine Mall", exact=True).click()
    expect(page.get_by_role("link", name="EVI00000013", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Remove EVI00000013 from this group", exact=True)).to_have_count(0)
    expect(page.get_by_label("Search for charging stations")).to_have_count(0)
    assert_accessible(page)
    page.goto(stack.url + "/#/operators")
    expect(page.get_by_role("alert")).to_have_text("Access denied.")


def test_admin_changes_the_time_zone_and_sees_it(stack, page):
    logged_in(page, stack, "acme-admin")
    page.get_by_role("button", name=re.compile("Operator functions")).click()
    page.get_by_role("menuitem", name="Organization").click()
    expect(page.get_by_role("heading", name="Organization", level=1)).to_be_visible()
    expect(page.get_by_test_id("current-timezone")).to_have_text("Europe/Helsinki")
    assert_accessible(page)
    screenshot(page, "organization")
    page.get_by_label("TIME ZONE").select_option("America/New_York")
    page.get_by_role("button", name="SAVE CHANGES", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("The organization's settings are saved.")
    expect(page.get_by_test_id("current-timezone")).to_have_text("America/New_York")
    page.reload()
    expect(page.get_by_test_id("current-timezone")).to_have_text("America/New_York")
    expect(page.get_by_label("TIME ZONE")).to_have_value("America/New_York")
    page.get_by_label("TIME ZONE").select_option("Europe/Helsinki")  # as the demo had it
    page.get_by_role("button", name="SAVE CHANGES", exact=True).click()
    expect(page.get_by_test_id("current-timezone")).to_have_text("Europe/Helsinki")
