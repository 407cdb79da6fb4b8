"""The web frontend in Debian's chromium against the local stack: what an operator sees and does."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.frontend.browser import api, assert_accessible, log_in, screenshot

NEW_PASSWORD = "Blue-Lagoon-2026"


def test_wrong_password_shows_the_manuals_text(stack, page):
    page.goto(stack.url + "/")
    expect(page.get_by_role("heading", name="EV Cloud Administration Panel")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "log-in")
    log_in(page, stack, "acme-admin", "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Wrong credentials.")
    expect(page.get_by_label("Username:")).to_have_value("acme-admin")


def test_admin_logs_in_and_sees_the_demo_dashboard(stack, page):
    log_in(page, stack, "acme-admin", stack.credentials()["acme-admin"])
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main menu")
    for item in ("Dashboard", "Charging groups", "Charging stations", "Operators", "Charging users",
                 "Charging user groups", "Reports", "Schedule tasks", "Log out"):
        expect(navigation.get_by_text(item, exact=True)).to_be_visible()
    # The demo: 6 stations of one point each under ACME Shopping Malls, none connected yet.
    expect(page.get_by_test_id("figure-stations")).to_have_text("6")
    expect(page.get_by_test_id("figure-points")).to_have_text("6")
    for mall in ("ACME Shopping Malls", "ACME Pine Mall", "ACME Birch Mall", "ACME Maple Mall"):
        expect(page.get_by_role("region", name=mall)).to_be_visible()
    pine = page.get_by_role("region", name="ACME Pine Mall")
    expect(pine.get_by_role("group", name="Charging station EVI00000013")).to_be_visible()
    expect(pine.get_by_role("img", name=re.compile(r"^Charging point 1: "))).to_have_count(2)
    expect(page.get_by_role("table", name="Charging points per status")).to_be_visible()
    expect(page.get_by_test_id("figure-events")).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("[data-testid=donut] svg")).to_be_visible()  # ECharts, loaded after log-in
    expect(page.locator("[data-testid=consumption] svg")).to_be_visible()
    screenshot(page, "dashboard")
    page.get_by_label("Timeframe", exact=True).select_option("30")
    page.get_by_text("Show as a table").click()
    days = page.get_by_role("table", name="Consumption and charging events per day")
    expect(days.get_by_role("row")).to_have_count(31)  # the header and 30 local days
    assert_accessible(page)
    page.get_by_role("button", name="Select the charging groups to display").click()
    dialog = page.get_by_role("dialog", name="Select the charging groups to display")
    expect(dialog.get_by_role("checkbox", name="ACME Pine Mall")).to_be_visible()
    page.wait_for_timeout(400)  # the dialog's transition ends before axe reads its colours
    assert_accessible(page)
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_have_count(0)


def test_my_account_and_stations_views_are_accessible(stack, page):
    log_in(page, stack, "acme-basic", stack.credentials()["acme-basic"])
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main menu").get_by_text("Operators", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Operator functions").click()
    page.get_by_role("menuitem", name="My account").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("acme-basic")
    assert_accessible(page)
    screenshot(page, "my-account")
    page.get_by_label("Current password").fill("wrong-one")
    page.get_by_label(re.compile(r"^New password \*?$")).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="CHANGE PASSWORD").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile("Wrong credentials.|Password does not conform to password policy."))
    page.get_by_role("navigation", name="Main menu").get_by_text("Charging stations", exact=True).click()
    expect(page.get_by_role("row", name=re.compile(r"^EVI00000018 "))).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(7)  # the header and the 6 demo stations
    assert_accessible(page)
    screenshot(page, "charging-stations")


def test_lost_password_page_answers_with_the_apis_text(stack, page):
    page.goto(stack.url + "/")
    page.get_by_text("LOST YOUR PASSWORD?").click()
    expect(page.get_by_role("heading", name="Lost password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address:").fill("nobody@example.com")
    page.get_by_role("button", name="RESET MY PASSWORD").click()
    expect(page.get_by_role("status")).to_contain_text("an e-mail with instructions for setting a new password is on its way")


def test_invitation_link_sets_the_password_and_the_operator_logs_in(stack, page):
    admin = api(stack, "POST", "/api/v1/auth/login", {"username": "acme-admin", "password": stack.credentials()["acme-admin"]})
    api(stack, "POST", "/api/v1/operators", {
        "email": "gyro@example.com", "email_confirmation": "gyro@example.com", "username": "gyro",
        "first_name": "Gyro", "last_name": "Gearloose", "role": "basic", "base_group_id": admin["base_group_id"],
    }, admin["token"])
    links = re.findall(r"/#/activate\?token=([A-Za-z0-9_-]+)", stack.log_text())
    assert links, "no invitation link in the stack's log"
    page.goto(f"{stack.url}/#/activate?token={links[-1]}")
    expect(page.get_by_role("heading", name="Activate your account")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password:").fill("weakpassword")
    page.get_by_label("New password again:").fill("weakpassword")
    page.get_by_role("button", name="SET PASSWORD").click()
    expect(page.get_by_role("alert")).to_have_text("Password does not conform to password policy.")
    page.get_by_label("New password:").fill(NEW_PASSWORD)
    page.get_by_label("New password again:").fill(NEW_PASSWORD)
    page.get_by_role("button", name="SET PASSWORD").click()
    expect(page.get_by_role("status")).to_have_text("Your account is activated. Log in with your username and new password.")
    page.get_by_role("link", name="LOG IN").click()
    page.get_by_label("Username:").fill("gyro")
    page.get_by_label("Password:").fill(NEW_PASSWORD)
    page.get_by_role("button", name="LOG IN").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    # The link is spent: opening it again says so.
    page.goto(f"{stack.url}/#/activate?token={links[-1]}")
    page.get_by_label("New password:").fill(NEW_PASSWORD + "x")
    page.get_by_label("New password again:").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="SET PASSWORD").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile(
        "This account is already activated. Log in with your username and password.|This link is not valid or has already been used."))


@pytest.mark.parametrize("path", ["/api/v1/health"])
def test_the_api_stays_under_api_v1(stack, path):
    assert api(stack, "GET", path)
