"""Charging users and charging user groups in Debian's chromium against the local stack: what an admin and a
basic operator see and may do, the manual's error texts, and axe on each view and dialog."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.frontend.browser import api, assert_accessible, log_in, screenshot


def _open(page, stack, username: str, view: str, first_row: str, shot: str = ""):
    """Log in, open the view from the menu, see its first row, check it with axe; its table."""
    log_in(page, stack, username, stack.credentials()[username])
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Main menu").get_by_text(view, exact=True).click()
    expect(page.get_by_role("heading", name=view, level=1)).to_be_visible()
    table = page.get_by_role("table", name=view)
    expect(table.get_by_role("row", name=re.compile(first_row))).to_be_visible()
    assert_accessible(page)
    if shot:
        screenshot(page, shot)
    return table


def _choose(page, label: str, option: str, scope=None) -> None:
    """Pick an option of a Mantine Select / MultiSelect (its list opens in a portal)."""
    (scope or page).get_by_label(label, exact=True).first.click()  # the input, not its open list
    page.get_by_role("option", name=option, exact=True).click()


def _admin_token(stack) -> str:
    return api(stack, "POST", "/api/v1/auth/login", {"username": "acme-admin", "password": stack.credentials()["acme-admin"]})["token"]


def test_admin_adds_a_user_with_a_token_is_refused_a_duplicate_and_deactivates_the_user(stack, page):
    users = _open(page, stack, "acme-admin", "Charging users", r"^Scrooge McDuck Duckburg scrooge@duckburg.com Active 1 ", "charging-users")

    page.get_by_role("button", name="ADD NEW CHARGING USER +").click()
    dialog = page.get_by_role("dialog", name="Add new charging user")
    dialog.get_by_label("FIRST NAME").fill("Gyro")
    dialog.get_by_label("LAST NAME").fill("Gearloose")
    dialog.get_by_label("E-MAIL ADDRESS").fill("gyro@duckburg.com")
    _choose(page, "USER CHARGING GROUP", "Duckburg", dialog)
    _choose(page, "Charging groups", "ACME Shopping Malls / ACME Pine Mall", dialog)
    dialog.get_by_role("button", name="ADD TOKEN +").click()
    token = dialog.get_by_role("group", name="Token #1")
    token.get_by_label("TOKEN (RFID)").fill("12345678")  # Scrooge's
    token.get_by_label("TOKEN NAME").fill("Workplace token")
    assert_accessible(page)
    dialog.get_by_role("button", name="SAVE NEW CHARGING USER").click()
    expect(dialog.get_by_role("alert")).to_have_text("Token already exists.")
    token.get_by_label("TOKEN (RFID)").fill("04A1B2C3")
    dialog.get_by_role("button", name="SAVE NEW CHARGING USER").click()
    expect(dialog).to_be_hidden()
    expect(users.get_by_role("row", name=re.compile(r"^Gyro Gearloose Duckburg gyro@duckburg.com Active 1 "))).to_be_visible()

    # Editing: the e-mail and the token id are fixed; a token added with a used id gets the manual's text.
    users.get_by_role("button", name="EDIT Gyro Gearloose").click()
    dialog = page.get_by_role("dialog", name="Edit charging user")
    expect(dialog.get_by_label("E-MAIL ADDRESS")).to_have_value("gyro@duckburg.com")
    expect(dialog.get_by_label("E-MAIL ADDRESS")).not_to_be_editable()
    expect(dialog.get_by_role("group", name="Token #1").get_by_label("TOKEN (RFID)")).not_to_be_editable()
    dialog.get_by_role("button", name="ADD TOKEN +").click()
    dialog.get_by_role("group", name="Token #2").get_by_label("TOKEN (RFID)").fill("0B0B0B0B")
    dialog.get_by_role("button", name="ADD TOKEN +").click()
    dialog.get_by_role("group", name="Token #3").get_by_label("TOKEN (RFID)").fill("12345678")
    dialog.get_by_role("button", name="SAVE CHANGES").click()
    expect(dialog.get_by_role("alert")).to_have_text("Token already exists.")
    expect(dialog.get_by_role("group", name="Token #2").get_by_label("TOKEN (RFID)")).not_to_be_editable()  # saved
    assert_accessible(page)
    dialog.get_by_role("group", name="Token #3").get_by_role("button", name="DELETE TOKEN").click()
    dialog.get_by_role("button", name="YES, DELETE").click()
    _choose(page, "STATUS", "Inactive", dialog.get_by_role("group", name="User information"))
    dialog.get_by_role("group", name="Token #1").get_by_label("STATUS").click()
    page.get_by_role("option", name="Blocked", exact=True).click()
    dialog.get_by_role("button", name="SAVE CHANGES").click()
    expect(dialog).to_be_hidden()
    expect(users.get_by_role("row", name=re.compile(r"^Gyro Gearloose Duckburg gyro@duckburg.com Inactive 2 "))).to_be_visible()

    saved = api(stack, "GET", "/api/v1/charging-users/gyro@duckburg.com", token=_admin_token(stack))
    assert saved["active"] is False
    assert [(t["token_id"], t["name"], t["status"]) for t in saved["tokens"]] == [("04A1B2C3", "Workplace token", "Blocked"), ("0B0B0B0B", None, "Active")]
    assert len(saved["access_group_ids"]) == 1
    assert saved["user_group_name"] == "Duckburg"


def test_admin_creates_a_user_group_with_a_member_and_cannot_delete_it_while_it_has_one(stack, page):
    groups = _open(page, stack, "acme-admin", "Charging user groups", r"^Duckburg \d+ Active ", "charging-user-groups")

    page.get_by_role("button", name="ADD NEW CHARGING USER GROUP +").click()
    dialog = page.get_by_role("dialog", name="Add new charging user group")
    dialog.get_by_label(re.compile(r"^Name")).fill("Company managers")
    _choose(page, "SELECT MEMBERS: Charging users", "Donald Duck (dduck@duckburg.com)", dialog)
    page.keyboard.press("Escape")  # closes the option list, not the dialog
    expect(dialog).to_be_visible()
    assert_accessible(page)
    dialog.get_by_role("button", name="SAVE NEW CHARGING USER GROUP").click()
    expect(dialog).to_be_hidden()
    expect(groups.get_by_role("row", name=re.compile(r"^Company managers 1 Active "))).to_be_visible()

    groups.get_by_role("button", name="EDIT Company managers").click()
    dialog = page.get_by_role("dialog", name="Edit charging user group")
    expect(dialog.get_by_text("Donald Duck (dduck@duckburg.com)")).to_be_visible()
    assert_accessible(page)
    dialog.get_by_role("button", name="DELETE CHARGING USER GROUP").click()
    dialog.get_by_role("button", name="YES, DELETE").click()
    expect(dialog.get_by_role("alert")).to_have_text("The charging user group has members. Remove them before deleting the group.")
    assert_accessible(page)
    _choose(page, "STATUS", "Inactive", dialog)
    dialog.get_by_role("button", name="SAVE CHANGES").click()
    expect(groups.get_by_role("row", name=re.compile(r"^Company managers 1 Inactive "))).to_be_visible()

    # Donald left Duckburg for the new group (a user is in one group at most): the users view says so.
    page.get_by_role("navigation", name="Main menu").get_by_text("Charging users", exact=True).click()
    users = page.get_by_role("table", name="Charging users")
    expect(users.get_by_role("row", name=re.compile(r"^Donald Duck Company managers dduck@duckburg.com "))).to_be_visible()
    _choose(page, "Charging user group", "Company managers")
    expect(users.get_by_role("row")).to_have_count(2)  # the header and Donald


def test_basic_operator_gets_no_buttons_the_api_refuses_them(stack, page):
    users = _open(page, stack, "acme-basic", "Charging users", r"^Scrooge McDuck ")
    page.get_by_label("Search for charging users").fill("mallard")
    expect(users.get_by_role("row")).to_have_count(3)  # the header, Drake and Gosalyn
    page.get_by_label("Search for charging users").fill("")
    users.get_by_role("button", name="EDIT Scrooge McDuck").click()
    dialog = page.get_by_role("dialog", name="Edit charging user")
    expect(dialog.get_by_role("group", name="Token #1").get_by_label("TOKEN (RFID)")).to_have_value("12345678")
    expect(dialog.get_by_role("button", name="DELETE TOKEN")).to_have_count(0)
    expect(dialog.get_by_role("button", name="DELETE THIS CHARGING USER")).to_have_count(0)
    expect(dialog.get_by_role("group", name="User information").get_by_label("STATUS")).not_to_be_editable()
    assert_accessible(page)
    dialog.get_by_role("button", name="CANCEL").click()
    expect(page.get_by_role("button", name="ADD NEW CHARGING USER +")).to_be_visible()  # basic operators may add users

    page.get_by_role("navigation", name="Main menu").get_by_text("Charging user groups", exact=True).click()
    groups = page.get_by_role("table", name="Charging user groups")
    expect(groups.get_by_role("row", name=re.compile(r"^Duckburg "))).to_be_visible()
    expect(page.get_by_role("button", name="ADD NEW CHARGING USER GROUP +")).to_have_count(0)
    expect(groups.get_by_role("button", name=re.compile("^EDIT"))).to_have_count(0)
    groups.get_by_role("button", name="SHOW Duckburg").click()
    dialog = page.get_by_role("dialog", name="Charging user group")
    expect(dialog.get_by_text("Scrooge McDuck (scrooge@duckburg.com)")).to_be_visible()
    expect(dialog.get_by_role("button", name="DELETE CHARGING USER GROUP")).to_have_count(0)
    expect(dialog.get_by_role("button", name="SAVE CHANGES")).to_have_count(0)
    assert_accessible(page)
