"""Operators: admins browse, invite, edit, reset and delete the operators of their domain."""

from __future__ import annotations

import pytest

from tests.api.conftest import PASSWORD
from tests.api.mailbox import Mailbox

NEW_PASSWORD = "Fresh-Garden-2024"


@pytest.fixture
def mailbox(aws) -> Mailbox:
    return Mailbox()


def _invite(client, username="newbie", email="newbie@acme.test", group_id=None, role="basic", world=None):
    return client.post(
        "/api/v1/operators",
        {
            "email": email,
            "email_confirmation": email.upper(),
            "username": username,
            "first_name": "New",
            "last_name": "Operator",
            "role": role,
            "base_group_id": group_id or world.groups["ACME Shopping Malls"].group_id,
        },
    )


def _edit(client, username, **changes):
    current = client.get(f"/api/v1/operators/{username}").body
    body = {k: current[k] for k in ("first_name", "last_name", "email", "role", "status", "base_group_id", "version")}
    return client.put(f"/api/v1/operators/{username}", {**body, **changes})


# --- browsing -------------------------------------------------------------------------------------
def test_admin_lists_the_operators_of_the_organization(world):
    # When the admin of the whole organization lists operators
    reply = world.admin.get("/api/v1/operators")
    # Then every ACME operator is there, by username, and no GLOBEX one
    assert reply.status == 200
    names = [o["username"] for o in reply.body["items"]]
    assert names == sorted(names)
    assert {"acme-admin", "acme-basic", "t-admin", "t-basic", "t-birch"} <= set(names)
    assert "g-admin" not in names
    row = next(o for o in reply.body["items"] if o["username"] == "t-birch")
    assert row["base_group_name"] == "ACME Birch Mall" and row["status"] == "Active" and row["activated"] is True


def test_list_pages_searches_and_filters(world):
    first = world.admin.get("/api/v1/operators?limit=2")
    assert len(first.body["items"]) == 2 and first.body["cursor"]
    second = world.admin.get(f"/api/v1/operators?limit=2&cursor={first.body['cursor']}")
    assert not {o["username"] for o in first.body["items"]} & {o["username"] for o in second.body["items"]}
    found = world.admin.get("/api/v1/operators?q=BASIL")
    assert [o["username"] for o in found.body["items"]] == ["t-basic"]
    assert world.admin.get("/api/v1/operators?status=Inactive").body["items"] == []
    assert world.admin.get("/api/v1/operators?status=Bogus").status == 400


def test_a_cursor_not_made_by_the_list_is_refused_with_the_manuals_text(world):
    for cursor in ("garbage", "eyJwIjoiT1RIRVIiLCJrIjoiYSJ9"):  # the second: an in-memory cursor, not DynamoDB's
        reply = world.admin.get(f"/api/v1/operators?cursor={cursor}")
        assert (reply.status, reply.message) == (400, "Invalid cursor.")


def test_sibling_admin_sees_only_the_operators_of_their_subtree(world):
    reply = world.sibling.get("/api/v1/operators")
    assert [o["username"] for o in reply.body["items"]] == ["t-birch"]
    hidden = world.sibling.get("/api/v1/operators/t-basic")
    assert (hidden.status, hidden.message) == (404, "Operator not found.")


def test_other_organization_and_unknown_operators_are_not_found(world):
    for client, username in ((world.other_org, "t-basic"), (world.admin, "g-admin"), (world.admin, "nobody")):
        reply = client.get(f"/api/v1/operators/{username}")
        assert (reply.status, reply.message) == (404, "Operator not found.")


def test_basic_operators_cannot_manage_operators(world):
    for reply in (
        world.basic.get("/api/v1/operators"),
        world.basic.get("/api/v1/operators/t-admin"),
        _invite(world.basic, world=world),
        world.basic.delete("/api/v1/operators/t-admin"),
    ):
        assert (reply.status, reply.message) == (403, "Access denied.")


def test_anonymous_is_asked_to_log_in(world):
    assert world.anonymous.get("/api/v1/operators").status == 401
    assert world.anonymous.post("/api/v1/operators/t-basic/invitation").status == 401


# --- inviting -------------------------------------------------------------------------------------
def test_invitation_link_activates_the_account_once(world, mailbox, client):
    # Given an admin invites a new operator
    reply = _invite(world.admin, world=world)
    assert reply.status == 201
    assert reply.body["activated"] is False and reply.body["invited_at"]
    # Then the operator cannot log in yet, and got an e-mail with the activation link
    assert client.post("/api/v1/auth/login", {"username": "newbie", "password": NEW_PASSWORD}).status == 401
    mail = mailbox.last("newbie@acme.test")
    assert "newbie" in mail.body and "/#/activate?token=" in mail.body
    # When they follow it and choose a password
    assert client.post("/api/v1/auth/activate", {"token": mail.token, "password": NEW_PASSWORD}).status == 204
    # Then they can log in, and the link is spent
    assert client.login("newbie", NEW_PASSWORD).get("/api/v1/auth/session").body["role"] == "basic"
    again = client.post("/api/v1/auth/activate", {"token": mail.token, "password": NEW_PASSWORD})
    assert again.status in (404, 409)
    assert world.admin.get("/api/v1/operators/newbie").body["activated"] is True


def test_activation_enforces_the_password_policy_without_spending_the_link(world, mailbox, client):
    _invite(world.admin, world=world)
    token = mailbox.last("newbie@acme.test").token
    weak = client.post("/api/v1/auth/activate", {"token": token, "password": "short"})
    assert (weak.status, weak.message) == (400, "Password does not conform to password policy.")
    assert client.post("/api/v1/auth/activate", {"token": token, "password": NEW_PASSWORD}).status == 204


def test_invitation_refusals(world, mailbox):
    taken = _invite(world.admin, username="t-basic", world=world)
    assert (taken.status, taken.message) == (409, "Username already exists.")
    globex = _invite(world.admin, group_id=world.other_groups["Globex Garages"].group_id, world=world)
    assert (globex.status, globex.message) == (404, "Charging group does not exist.")
    outside = _invite(world.sibling, group_id=world.groups["ACME Pine Mall"].group_id, world=world)
    assert (outside.status, outside.message) == (404, "Charging group does not exist.")
    mismatch = world.admin.post(
        "/api/v1/operators",
        {"email": "a@acme.test", "email_confirmation": "b@acme.test", "username": "abc", "first_name": "A",
         "last_name": "B", "role": "basic", "base_group_id": world.groups["ACME Pine Mall"].group_id},
    )
    assert mismatch.status == 400
    assert mailbox.all() == []


def test_sibling_admin_invites_into_their_subtree(world, mailbox):
    reply = _invite(world.sibling, group_id=world.groups["ACME Birch Mall"].group_id, role="admin", world=world)
    assert reply.status == 201 and reply.body["base_group_name"] == "ACME Birch Mall"
    assert "newbie" in [o["username"] for o in world.sibling.get("/api/v1/operators").body["items"]]


def test_invitation_that_ses_refuses_leaves_nothing_behind(world):
    # Given SES refuses the sender (no verified identity: no mailbox fixture here)
    reply = _invite(world.admin, world=world)
    # Then the admin is told, and the operator was not created (the invitation can be retried)
    assert (reply.status, reply.message) == (400, "Problem with email address.")
    assert world.admin.get("/api/v1/operators/newbie").status == 404


def test_resend_and_reminder_only_before_activation(world, mailbox, client):
    _invite(world.admin, world=world)
    first = mailbox.last("newbie@acme.test")
    # When the admin resends the invitation, then a reminder
    assert world.admin.post("/api/v1/operators/newbie/invitation").status == 202
    assert world.admin.post("/api/v1/operators/newbie/reminder").status == 202
    mails = mailbox.to("newbie@acme.test")
    assert len(mails) == 3 and mails[-1].subject.startswith("Reminder")
    # Then only the newest link works
    assert client.post("/api/v1/auth/activate", {"token": first.token, "password": NEW_PASSWORD}).status == 404
    assert client.post("/api/v1/auth/activate", {"token": mails[-1].token, "password": NEW_PASSWORD}).status == 204
    # And once activated there is nothing to resend
    for kind in ("invitation", "reminder"):
        reply = world.admin.post(f"/api/v1/operators/newbie/{kind}")
        assert reply.status == 409
    assert world.admin.post("/api/v1/operators/t-basic/reminder").status == 409
    assert world.sibling.post("/api/v1/operators/newbie/reminder").status == 404


# --- editing --------------------------------------------------------------------------------------
def test_admin_deactivates_an_operator_who_then_cannot_log_in(world, client):
    reply = _edit(world.admin, "t-basic", status="Inactive", first_name="Basilio")
    assert reply.status == 200 and reply.body["status"] == "Inactive" and reply.body["first_name"] == "Basilio"
    login = client.post("/api/v1/auth/login", {"username": "t-basic", "password": PASSWORD})
    assert (login.status, login.message) == (401, "Operator is inactive.")
    assert _edit(world.admin, "t-basic", status="Active").status == 200
    assert client.post("/api/v1/auth/login", {"username": "t-basic", "password": PASSWORD}).status == 200


def test_stale_version_is_a_conflict(world):
    seen = world.admin.get("/api/v1/operators/t-basic").body
    assert _edit(world.admin, "t-basic", last_name="First").status == 200
    stale = _edit(world.admin, "t-basic", last_name="Second", version=seen["version"])
    assert (stale.status, stale.message) == (409, "Operator not found.")
    assert world.admin.get("/api/v1/operators/t-basic").body["last_name"] == "First"


def test_log_in_bookkeeping_does_not_make_an_open_edit_stale(world, client):
    seen = world.admin.get("/api/v1/operators/t-basic").body["version"]
    client.post("/api/v1/auth/login", {"username": "t-basic", "password": "wrong"})
    client.login("t-basic", PASSWORD)
    assert _edit(world.admin, "t-basic", version=seen).status == 200


def test_demoted_admin_loses_admin_rights_at_once(world):
    assert _edit(world.admin, "t-birch", role="basic").status == 200
    reply = world.sibling.get("/api/v1/operators")
    assert (reply.status, reply.message) == (403, "Operator access forbidden.")


def test_base_group_must_be_inside_the_admins_domain(world, mailbox):
    # Given the organization's admin moves an operator to Pine Mall
    moved = _edit(world.admin, "t-basic", base_group_id=world.groups["ACME Pine Mall"].group_id)
    assert moved.status == 200 and moved.body["base_group_name"] == "ACME Pine Mall"
    # Then the Birch Mall admin does not see them
    assert world.sibling.get("/api/v1/operators/t-basic").status == 404
    # And cannot move their own operators out of Birch Mall
    _invite(world.sibling, username="birchy", group_id=world.groups["ACME Birch Mall"].group_id, world=world)
    out = _edit(world.sibling, "birchy", base_group_id=world.groups["ACME Pine Mall"].group_id)
    assert (out.status, out.message) == (404, "Charging group does not exist.")
    # Nor does another organization reach ACME's operators
    body = {"version": 1, "first_name": "x", "last_name": "y", "email": "x@y.test", "role": "basic", "status": "Active", "base_group_id": "x"}
    other = world.other_org.put("/api/v1/operators/t-basic", body)
    assert (other.status, other.message) == (404, "Operator not found.")


def test_admins_cannot_lock_themselves_out(world):
    for change in ({"status": "Inactive"}, {"role": "basic"}, {"base_group_id": world.groups["ACME Pine Mall"].group_id}):
        reply = _edit(world.admin, "t-admin", **change)
        assert reply.status == 403, change
    assert world.admin.delete("/api/v1/operators/t-admin").status == 403
    assert _edit(world.admin, "t-admin", first_name="Adeline").status == 200


def test_edit_refuses_unknown_fields_and_values(world):
    current = world.admin.get("/api/v1/operators/t-basic").body
    body = {k: current[k] for k in ("first_name", "last_name", "email", "role", "status", "base_group_id", "version")}
    assert world.admin.put("/api/v1/operators/t-basic", {**body, "role": "root"}).status == 400
    assert world.admin.put("/api/v1/operators/t-basic", {**body, "password_hash": "x"}).status == 400
    assert world.admin.put("/api/v1/operators/t-basic", {k: v for k, v in body.items() if k != "version"}).status == 400


# --- password reset and deletion ------------------------------------------------------------------
def test_admin_sends_a_password_reset(world, mailbox, client):
    reply = world.admin.post("/api/v1/operators/t-basic/password-reset", {"email": "T-Basic@acme.test"})
    assert reply.status == 202
    token = mailbox.last("t-basic@acme.test").token
    assert client.post("/api/v1/auth/reset-password", {"token": token, "password": NEW_PASSWORD}).status == 204
    client.login("t-basic", NEW_PASSWORD)


def test_password_reset_with_an_outdated_email_is_refused(world, mailbox):
    # Given someone changed the operator's e-mail after the admin opened the edit view
    assert _edit(world.admin, "t-basic", email="basil@acme.test").status == 200
    # When the admin resets the password with the address the view showed
    reply = world.admin.post("/api/v1/operators/t-basic/password-reset", {"email": "t-basic@acme.test"})
    # Then the manual's text
    assert (reply.status, reply.message) == (409, "Operator with given email does not exist.")
    assert mailbox.all() == []


def test_password_reset_mail_refused_by_ses(world):
    reply = world.admin.post("/api/v1/operators/t-basic/password-reset", {"email": "t-basic@acme.test"})
    assert (reply.status, reply.message) == (400, "Problem with email address.")


def test_delete_operator(world, client):
    assert world.sibling.delete("/api/v1/operators/t-basic").status == 404
    assert world.admin.delete("/api/v1/operators/t-basic").status == 204
    assert world.admin.get("/api/v1/operators/t-basic").status == 404
    assert world.basic.get("/api/v1/auth/session").status == 401
    assert client.post("/api/v1/auth/login", {"username": "t-basic", "password": PASSWORD}).status == 401
    assert world.admin.delete("/api/v1/operators/t-basic").status == 404


# --- transient failures ---------------------------------------------------------------------------
def test_invitation_that_cannot_be_stored_is_retried_from_scratch(world, mailbox):
    # Given the invitation tokens cannot be written (their table is gone)
    from chalicelib.storage.models import OperatorTokenItem

    OperatorTokenItem.delete_table()
    # When the admin invites
    reply = _invite(world.admin, world=world)
    # Then the manual's text, no mail, and no half-made operator
    assert (reply.status, reply.message) == (503, "Operator invitation failed.")
    assert mailbox.all() == []
    assert world.admin.get("/api/v1/operators/newbie").status == 404


def test_edit_that_cannot_be_written_says_so(world):
    from chalicelib.domain import operators as ops
    from chalicelib.storage.models import OperatorItem

    item = OperatorItem.get("t-basic")
    OperatorItem.delete_table()
    with pytest.raises(ops.UpdateFailed, match=r"^Error while updating operator\.$"):
        ops.save(item, item.version, {"first_name": "Basilio"})
