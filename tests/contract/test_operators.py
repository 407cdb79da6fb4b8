"""The operators port on both stores: uniqueness, optimistic locking, search and paging, sessions and links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports import errors
from chalicelib.ports.operators import LinkToken, LoginSession, Operator, Organization
from chalicelib.ports.paging import InvalidCursor

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _operator(username: str, org_id: str = "ORG", **changes) -> Operator:
    values = dict(email=f"{username}@Example.com", first_name=username.title(), last_name="Smith", role="basic", base_group_id="g1")
    return Operator(username, org_id, **{**values, **changes})


def _all_pages(port, org_id: str, limit: int, **filters) -> list[str]:
    seen, cursor = [], None
    while True:
        page = port.operators_page(org_id, limit, cursor, filters.get("q"), filters.get("status"), filters.get("keep"))
        seen += [op.username for op in page.items]
        if page.cursor is None:
            return seen
        cursor = page.cursor


def test_a_username_is_taken_once(store):
    port = store.operators
    created = port.create_operator(_operator("ann"))
    assert (created.version, created.email_key) == (1, "ann@example.com")
    with pytest.raises(errors.AlreadyExists):
        port.create_operator(_operator("ann", org_id="OTHER"))
    assert port.operator("ann").org_id == "ORG"
    assert port.operator("nobody") is None


def test_an_edit_on_an_old_version_loses(store):
    port = store.operators
    seen = port.create_operator(_operator("ann"))
    first = port.update_operator(seen, seen.version, {"first_name": "Anna", "email": "Anna@X.org"})
    assert (first.first_name, first.email_key, first.version) == ("Anna", "anna@x.org", 2)
    with pytest.raises(errors.ConditionFailed):
        port.update_operator(seen, seen.version, {"first_name": "Annie"})
    assert port.operator("ann").first_name == "Anna"
    assert port.usernames_with_email("ANNA@x.org") == ["ann"]


def test_password_bookkeeping_leaves_the_edit_version_alone(store):
    port = store.operators
    seen = port.create_operator(_operator("ann", activated=False))
    assert port.set_password("ann", "hash", T0, activate=True, end_sessions=True)
    after = port.operator("ann")
    assert (after.password_hash, after.activated, after.sessions_valid_from, after.version) == ("hash", True, T0, seen.version)
    assert port.mark_invited("ann", T0) and port.mark_reset_sent("ann", T0)
    assert not port.set_password("ghost", "hash", T0)
    port.update_operator(seen, seen.version, {"role": "admin"})  # the admin's open edit still applies


def test_delete_twice_is_not_found(store):
    port = store.operators
    port.create_operator(_operator("ann"))
    port.delete_operator("ann")
    with pytest.raises(errors.NotFound):
        port.delete_operator("ann")


def test_pages_follow_usernames_within_one_organization(store):
    port = store.operators
    for name in ["eve", "bob", "dan", "ann", "cat"]:
        port.create_operator(_operator(name))
    port.create_operator(_operator("zed", org_id="OTHER"))
    assert _all_pages(port, "ORG", 2) == ["ann", "bob", "cat", "dan", "eve"]
    assert _all_pages(port, "ORG", 2, keep=lambda op: op.username != "bob") == ["ann", "cat", "dan", "eve"]
    other = port.operators_page("OTHER", 1, None, None, None).cursor
    first = port.operators_page("ORG", 2, None, None, None)
    assert other is None and first.cursor is not None
    with pytest.raises(InvalidCursor):
        port.operators_page("OTHER", 2, first.cursor, None, None)
    with pytest.raises(InvalidCursor):
        port.operators_page("ORG", 2, "not-a-cursor", None, None)


def test_search_and_status_filters(store):
    port = store.operators
    port.create_operator(_operator("ann", last_name="Lovelace"))
    port.create_operator(_operator("bob", activated=False))
    port.create_operator(_operator("cat", status="Inactive"))
    assert _all_pages(port, "ORG", 10, q="LOVE") == ["ann"]
    assert _all_pages(port, "ORG", 10, status="Invited") == ["bob"]
    assert _all_pages(port, "ORG", 10, status="Active") == ["ann"]
    assert _all_pages(port, "ORG", 10, status="Inactive") == ["cat"]


def test_sessions_and_single_use_links(store):
    port = store.operators
    port.put_session(LoginSession("h1", "ann", "ORG", "admin", T0, T0 + timedelta(hours=2)))
    assert port.session("h1").role_at_login == "admin"
    port.delete_session("h1")
    assert port.session("h1") is None
    port.put_link(LinkToken("t1", "reset", "ann", "ann@example.com", T0, T0 + timedelta(hours=1)))
    assert port.link("t1").expires_at == T0 + timedelta(hours=1)
    assert port.use_link("t1") and not port.use_link("t1")
    assert port.link("t1") is None


def _organization(store, org_id: str) -> Organization:
    if store.kind == "memory":
        store.operators.add_organization(Organization(org_id, "Acme", "UTC"))
    else:
        from chalicelib.domain.provisioning import ensure_organization

        ensure_organization(org_id, "Acme", timezone="UTC")
    return store.operators.organization(org_id)


def test_an_organization_edit_on_an_old_version_loses(store):
    seen = _organization(store, "ORG")
    saved = store.operators.update_organization(seen, seen.version, "Acme Ltd", "Europe/Helsinki")
    assert (saved.name, saved.timezone, saved.version) == ("Acme Ltd", "Europe/Helsinki", seen.version + 1)
    with pytest.raises(errors.ConditionFailed):
        store.operators.update_organization(seen, seen.version, "Other", "UTC")
    assert store.operators.organization("ORG").name == "Acme Ltd"
    assert store.operators.organization("NONE") is None
