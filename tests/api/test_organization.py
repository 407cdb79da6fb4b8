"""The organization's time zone (IANA, default UTC), edited by the admins of the whole organization."""

from __future__ import annotations


def _org(client) -> dict:
    reply = client.get("/api/v1/organization")
    assert reply.status == 200
    return reply.body


def test_every_operator_reads_their_organization(world):
    assert _org(world.basic)["timezone"] == "Europe/Helsinki"
    assert _org(world.sibling)["org_id"] == "ACME"
    assert _org(world.other_org) == {"org_id": "GLOBEX", "name": "Globex", "timezone": "America/New_York", "version": 1}


def test_admin_of_the_organization_sets_the_time_zone(world):
    seen = _org(world.admin)
    reply = world.admin.put("/api/v1/organization", {"name": "ACME", "timezone": "Asia/Tokyo", "version": seen["version"]})
    assert reply.status == 200 and reply.body["timezone"] == "Asia/Tokyo"
    from chalicelib.domain.organizations import zone_of

    assert zone_of("ACME").key == "Asia/Tokyo"
    assert _org(world.other_org)["timezone"] == "America/New_York"


def test_unknown_time_zone_is_refused(world):
    version = _org(world.admin)["version"]
    for bad in ("Mars/Olympus", "../../etc/passwd", "utc ", "Europe/", ""):
        reply = world.admin.put("/api/v1/organization", {"name": "ACME", "timezone": bad, "version": version})
        assert reply.status == 400, bad


def test_stale_organization_edit_is_a_conflict(world):
    version = _org(world.admin)["version"]
    assert world.admin.put("/api/v1/organization", {"name": "ACME", "timezone": "UTC", "version": version}).status == 200
    stale = world.admin.put("/api/v1/organization", {"name": "ACME", "timezone": "Europe/Paris", "version": version})
    assert stale.status == 409 and "Refresh" in stale.message


def test_only_admins_of_the_whole_organization_edit_it(world):
    body = {"name": "ACME", "timezone": "UTC", "version": _org(world.admin)["version"]}
    for client in (world.basic, world.sibling):
        reply = client.put("/api/v1/organization", body)
        assert (reply.status, reply.message) == (403, "Access denied.")
    assert world.anonymous.get("/api/v1/organization").status == 401


def test_time_zone_defaults_to_utc(aws):
    from chalicelib.domain import provisioning as p
    from chalicelib.domain.organizations import zone_of

    p.ensure_organization("NEW", "New Org")
    assert zone_of("NEW").key == "UTC"
    assert zone_of("MISSING").key == "UTC"
