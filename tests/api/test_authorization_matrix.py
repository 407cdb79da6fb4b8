"""Every route x every kind of caller, against a table of expected outcomes.

One authorization layer (chalicelib/api/routing.py) serves every route; this walks all of them
with: an admin of the whole organization (in domain), a basic operator (in domain), an admin of a
sibling subtree (ACME Birch Mall: the targets below live in ACME Pine Mall), an admin of another
organization, an anonymous caller, and the admin's session after its two hours. A route missing
from the table fails the test, so a new route cannot skip the matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.api.conftest import PASSWORD

ACTORS = ("admin", "basic", "sibling", "other", "anon", "expired")
# Denials first: a destructive success of an earlier caller must not hide a later one's answer;
# each call builds its own target anyway (the builders create fresh items where needed).
ORDER = ("anon", "expired", "other", "sibling", "basic", "admin")

Builder = Callable[["Targets"], tuple[str, object]]


class Targets:
    """Fresh items inside ACME Pine Mall (in the admin's and basic's domain, outside the sibling's)."""

    def __init__(self, world) -> None:
        self.world = world
        self.n = 0
        self.client = None  # the caller about to be asked

    def fresh(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    @property
    def pine(self):
        return self.world.groups["ACME Pine Mall"]

    # --- helpers that make fresh targets through the admin's API -------------------------------
    def admin(self, method: str, path: str, body=None):
        reply = self.world.admin.request(method, path, body)
        assert reply.status < 300, (method, path, reply)
        return reply.body

    def station(self, group=None) -> str:
        station_id = self.fresh("MX-")
        body = {"station_id": station_id, "name": station_id, "group_id": (group or self.pine).group_id}
        self.admin("POST", "/api/v1/stations", body)
        return station_id

    def orphan(self) -> str:
        station_id = self.station()
        self.admin("DELETE", f"/api/v1/stations/{station_id}")
        return station_id

    def station_version(self, station_id: str) -> int:
        return self.admin("GET", f"/api/v1/stations/{station_id}")["version"]

    def group(self) -> dict:
        return self.admin("POST", "/api/v1/groups", {"name": self.fresh("Matrix group "), "parent_id": self.pine.group_id})

    def user(self) -> dict:
        email = f"{self.fresh('matrix')}@duckburg.test"
        body = {"first_name": "Matrix", "last_name": "User", "email": email, "access_group_ids": [self.pine.group_id]}
        return self.admin("POST", "/api/v1/charging-users", body)

    def user_with_token(self) -> tuple[dict, dict]:
        user = self.user()
        token = self.admin("POST", f"/api/v1/charging-users/{user['user_id']}/tokens", {"token_id": self.fresh("MTX")})
        return user, token

    def user_group(self) -> dict:
        return self.admin("POST", "/api/v1/user-groups", {"name": self.fresh("Matrix users ")})

    def operator(self) -> dict:
        name = self.fresh("matrix-op-")
        body = {
            "email": f"{name}@acme.test",
            "email_confirmation": f"{name}@acme.test",
            "username": name,
            "first_name": "Matrix",
            "last_name": "Operator",
            "role": "basic",
            "base_group_id": self.pine.group_id,
        }
        return self.admin("POST", "/api/v1/operators", body)


    def template(self, model: str | None = None) -> dict:
        body = {"vendor": "Matrix", "model": model or self.fresh("M-"), "keys": {"HeartbeatInterval": "300"}}
        return self.admin("POST", "/api/v1/configuration-templates", body)

    def station_of_model(self) -> str:
        """A station that booted as a model with a configuration template (its boot recorded directly)."""
        from chalicelib import clock
        from chalicelib.ports.registry import store

        station_id, model = self.station(), self.fresh("BOOTED-")
        store().stations.record_boot("ACME", station_id, {"vendor": "Matrix", "model": model}, clock.now())
        self.template(model)
        return station_id

    def firmware_file(self) -> dict:
        """A Ready firmware file of ACME (its object put straight into moto's bucket)."""
        from chalicelib import aws
        from chalicelib.settings import get_settings

        started = self.admin("POST", "/api/v1/firmware/files", {"name": "fw.bin", "version": self.fresh("2."), "size": 4})
        aws.s3().put_object(Bucket=get_settings().firmware_bucket, Key=started["upload"]["fields"]["key"], Body=b"FWFW")
        return self.admin("POST", f"/api/v1/firmware/files/{started['file']['file_id']}/uploaded")

    def station_with_update(self) -> str:
        from chalicelib import clock
        from chalicelib.ports.firmware import FirmwareUpdate
        from chalicelib.ports.registry import store

        station_id, now = self.station(), clock.now()
        store().firmware.save_update(FirmwareUpdate("ACME", station_id, "u1", "f1", "2.0", "Installing", "t-admin", now, now, now, now))
        return station_id

    def diagnostics_file(self) -> tuple[str, str]:
        from chalicelib import aws, clock
        from chalicelib.ports.firmware import DiagnosticsUpload
        from chalicelib.ports.registry import store
        from chalicelib.settings import get_settings

        station_id, now = self.station(), clock.now()
        key = f"diagnostics/ACME/{station_id}/d1"
        store().firmware.save_diagnostics(DiagnosticsUpload("ACME", station_id, "d1", key, "Uploaded", "t-admin", now, now, "diag.zip"))
        aws.s3().put_object(Bucket=get_settings().firmware_bucket, Key=key, Body=b"log")
        return station_id, "d1"

    def campaign(self) -> dict:
        group = self.group()
        self.station(_Group(group["group_id"]))
        return self.admin("POST", "/api/v1/firmware/campaigns", {"group_id": group["group_id"], "file_id": self.firmware_file()["file_id"]})


class _Group:
    """Just the id of a group made through the API (what `station` needs)."""

    def __init__(self, group_id: str) -> None:
        self.group_id = group_id


V1 = "/api/v1"
E13 = f"{V1}/stations/EVI00000013"
NEW_PASSWORD = "Another-Horse-77"


def _own(t: Targets, path: str, fields: tuple[str, ...]):
    """An edit of the caller's own account or organization, with the version the caller sees."""
    reply = t.client.get(V1 + path)
    if reply.status != 200:  # anonymous or expired: any well-formed body
        return V1 + path, {"first_name": "A", "last_name": "B", "email": "a@b.test", "version": 0} if "email" in fields else {"name": "X", "timezone": "UTC", "version": 0}
    return V1 + path, {**{f: reply.body[f] for f in fields}, "version": reply.body["version"]}


def _op(t: Targets, suffix: str = "") -> str:
    return f"{V1}/operators/{t.operator()['username']}{suffix}"


def _report_body(t: Targets) -> dict:
    return {"from": "2026-03-01", "to": "2026-03-31", "group_ids": [t.pine.group_id], "station_ids": ["EVI00000013"]}


def _report(t: Targets) -> str:
    return t.admin("POST", f"{V1}/reports", _report_body(t))["report_id"]


def _station_edit(t: Targets):
    station_id = t.station()
    return f"{V1}/stations/{station_id}", {"name": "Renamed", "version": t.station_version(station_id)}


def _points(t: Targets):
    station_id = t.station()
    body = {"points": [{"sockets": [{"type": "Type-2", "max_kw": 22}, {"type": "Schuko", "max_kw": 3.7}]}], "version": t.station_version(station_id)}
    return f"{V1}/stations/{station_id}/points", body


def _metadata(t: Targets):
    station_id = t.station()
    return f"{V1}/stations/{station_id}/metadata", {"evse_name": "Matrix", "version": t.station_version(station_id)}


def _command(t: Targets):
    command_id = t.admin("POST", f"{E13}/commands", {"action": "ClearCache"})["command_id"]
    return f"{E13}/commands/{command_id}", None


def _group_edit(t: Targets):
    group = t.group()
    return f"{V1}/groups/{group['group_id']}", {"name": "Renamed group", "version": group["version"]}


def _user_edit(t: Targets):
    user = t.user()
    body = {
        "first_name": "Renamed",
        "last_name": "User",
        "user_group_id": None,
        "access_group_ids": [t.pine.group_id],
        "access_station_ids": [],
        "version": user["version"],
    }
    return f"{V1}/charging-users/{user['user_id']}", body


def _token_edit(t: Targets):
    user, token = t.user_with_token()
    return f"{V1}/charging-users/{user['user_id']}/tokens/{token['token_id']}", {"status": "Blocked", "version": token["version"]}


def _token_delete(t: Targets):
    user, token = t.user_with_token()
    return f"{V1}/charging-users/{user['user_id']}/tokens/{token['token_id']}", None


def _user_group_edit(t: Targets):
    group = t.user_group()
    return f"{V1}/user-groups/{group['user_group_id']}", {"name": "Renamed users", "member_ids": [], "active": True, "version": group["version"]}


def _operator_edit(t: Targets):
    op = t.operator()
    body = {
        "first_name": "Renamed",
        "last_name": "Operator",
        "email": op["email"],
        "role": "basic",
        "status": "Active",
        "base_group_id": op["base_group_id"],
        "version": op["version"],
    }
    return f"{V1}/operators/{op['username']}", body


def _template_edit(t: Targets):
    template = t.template()
    return f"{V1}/configuration-templates/{template['template_id']}", {"keys": {"A": "1"}, "version": template["version"]}


def _invite(t: Targets):
    name = t.fresh("invitee-")
    email = f"{name}@acme.test"
    body = {"email": email, "email_confirmation": email, "username": name, "first_name": "In", "last_name": "Vitee", "role": "basic", "base_group_id": t.pine.group_id}
    return f"{V1}/operators", body


def _active_session(t: Targets):
    """A fresh station in ACME Pine Mall with an active session (as a StartTransaction leaves it)."""
    from chalicelib.clock import now
    from chalicelib.ports.records import NewSession
    from chalicelib.ports.registry import store

    station_id = t.station()
    tx = store().records.next_transaction_id()
    store().records.create_session(NewSession(tx, "ACME", station_id, 1, "TAG", None, "Accepted", now(), 0.0, 22_000.0, 0.0), now())
    return f"{V1}/stations/{station_id}/sessions/{tx}/soft-stop", None


def _task_runs(t: Targets) -> str:
    """The runs of a scheduled task on a station of ACME Pine Mall (the task written to the store directly)."""
    from chalicelib import clock
    from chalicelib.ports.registry import store
    from chalicelib.ports.tasks import MAX_CURRENT, Schedule, Task

    task_id, now = t.fresh("task-"), clock.now()
    store().tasks.add(Task("ACME", task_id, "Night", MAX_CURRENT, {"station_id": "EVI00000013"}, {"amperes": 16},
                           Schedule("daily", 1, 0), True, now, now, next_run_at=now + timedelta(days=1)))
    return f"{V1}/scheduled-tasks/{task_id}/runs"


def _limited_group(t: Targets) -> str:
    group = t.group()
    t.admin("PUT", f"{V1}/groups/{group['group_id']}/load-limit", {"limit_a": 32})
    return f"{V1}/groups/{group['group_id']}/load-limit"


def _task_body(t: Targets) -> dict:
    """A scheduled task keyed to a fresh ACME Pine Mall station."""
    return {"name": t.fresh("Matrix task "), "type": "max_current", "key": {"station_id": t.station()},
            "value": {"amperes": 16}, "schedule": {"kind": "daily", "hour": 1, "minute": 0}}


def _task(t: Targets, suffix: str = "") -> str:
    return f"{V1}/scheduled-tasks/{t.admin('POST', f'{V1}/scheduled-tasks', _task_body(t))['task_id']}{suffix}"


def _task_edit(t: Targets):
    task = t.admin("POST", f"{V1}/scheduled-tasks", _task_body(t))
    body = {name: task[name] for name in ("name", "type", "key", "value", "schedule", "active", "version")}
    return f"{V1}/scheduled-tasks/{task['task_id']}", {**body, "value": {"amperes": 10}}


# Columns: admin (whole ACME), basic (whole ACME), sibling (ACME Birch Mall admin), other organization's
# admin, anonymous, expired session. Builders make their own fresh target for every caller.
ROWS: dict[str, tuple[str, Builder]] = {
    # public
    "GET /api/v1/health": ("200 200 200 200 200 200", lambda t: (f"{V1}/health", None)),
    "GET /api/v1/openapi.json": ("200 200 200 200 200 200", lambda t: (f"{V1}/openapi.json", None)),
    "POST /api/v1/auth/login": ("401 401 401 401 401 401", lambda t: (f"{V1}/auth/login", {"username": t.fresh("nobody-"), "password": "wrong"})),
    "POST /api/v1/auth/lost-password": ("202 202 202 202 202 202", lambda t: (f"{V1}/auth/lost-password", {"email": "nobody@acme.test"})),
    "POST /api/v1/auth/reset-password": ("404 404 404 404 404 404", lambda t: (f"{V1}/auth/reset-password", {"token": "forged", "password": NEW_PASSWORD})),
    "POST /api/v1/auth/activate": ("404 404 404 404 404 404", lambda t: (f"{V1}/auth/activate", {"token": "forged", "password": NEW_PASSWORD})),
    # session and own account
    "GET /api/v1/auth/session": ("200 200 200 200 401 401", lambda t: (f"{V1}/auth/session", None)),
    "POST /api/v1/auth/logout": ("204 204 204 204 401 401", lambda t: (f"{V1}/auth/logout", None)),
    "GET /api/v1/account": ("200 200 200 200 401 401", lambda t: (f"{V1}/account", None)),
    "PUT /api/v1/account": ("200 200 200 200 401 401", lambda t: _own(t, "/account", ("first_name", "last_name", "email"))),
    "PUT /api/v1/account/password": ("204 204 204 204 401 401", lambda t: (f"{V1}/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})),
    # organization
    "GET /api/v1/organization": ("200 200 200 200 401 401", lambda t: (f"{V1}/organization", None)),
    "PUT /api/v1/organization": ("200 403 403 200 401 401", lambda t: _own(t, "/organization", ("name", "timezone"))),
    # operators (admins only; the targets' base group is ACME Pine Mall)
    "GET /api/v1/operators": ("200 403 200 200 401 401", lambda t: (f"{V1}/operators", None)),
    "POST /api/v1/operators": ("201 403 404 404 401 401", _invite),
    "GET /api/v1/operators/{username}": ("200 403 404 404 401 401", lambda t: (_op(t), None)),
    "PUT /api/v1/operators/{username}": ("200 403 404 404 401 401", _operator_edit),
    "DELETE /api/v1/operators/{username}": ("204 403 404 404 401 401", lambda t: (_op(t), None)),
    "POST /api/v1/operators/{username}/invitation": ("202 403 404 404 401 401", lambda t: (_op(t, "/invitation"), None)),
    "POST /api/v1/operators/{username}/reminder": ("202 403 404 404 401 401", lambda t: (_op(t, "/reminder"), None)),
    "POST /api/v1/operators/{username}/password-reset": (
        "202 403 404 404 401 401",
        lambda t: (f"{V1}/operators/t-basic/password-reset", {"email": "t-basic@acme.test"}),
    ),
    # charging groups
    "GET /api/v1/groups": ("200 200 200 200 401 401", lambda t: (f"{V1}/groups", None)),
    "GET /api/v1/groups/tree": ("200 200 200 200 401 401", lambda t: (f"{V1}/groups/tree", None)),
    "POST /api/v1/groups": ("201 201 404 404 401 401", lambda t: (f"{V1}/groups", {"name": t.fresh("New group "), "parent_id": t.pine.group_id})),
    "GET /api/v1/groups/{group_id}": ("200 200 404 404 401 401", lambda t: (f"{V1}/groups/{t.pine.group_id}", None)),
    "PUT /api/v1/groups/{group_id}": ("200 200 404 404 401 401", _group_edit),
    "DELETE /api/v1/groups/{group_id}": ("204 204 404 404 401 401", lambda t: (f"{V1}/groups/{t.group()['group_id']}", None)),
    "POST /api/v1/groups/{group_id}/stations": (
        "200 403 404 404 401 401",
        lambda t: (f"{V1}/groups/{t.pine.group_id}/stations", {"station_id": t.station(t.world.groups["ACME Maple Mall"])}),
    ),
    "DELETE /api/v1/groups/{group_id}/stations/{station_id}": ("204 403 404 404 401 401", lambda t: (f"{V1}/groups/{t.pine.group_id}/stations/{t.station()}", None)),
    "GET /api/v1/groups/{group_id}/statistics": ("200 200 404 404 401 401", lambda t: (f"{V1}/groups/{t.pine.group_id}/statistics", None)),
    # charging stations
    "GET /api/v1/stations": ("200 200 200 200 401 401", lambda t: (f"{V1}/stations", None)),
    "POST /api/v1/stations": ("201 403 404 404 401 401", lambda t: (f"{V1}/stations", {"station_id": t.fresh("NEW-"), "group_id": t.pine.group_id})),
    "GET /api/v1/stations/{station_id}": ("200 200 404 404 401 401", lambda t: (E13, None)),
    "PUT /api/v1/stations/{station_id}": ("200 403 404 404 401 401", _station_edit),
    "DELETE /api/v1/stations/{station_id}": ("204 403 404 404 401 401", lambda t: (f"{V1}/stations/{t.station()}", None)),
    "POST /api/v1/stations/{station_id}/purge": ("204 403 404 404 401 401", lambda t: (f"{V1}/stations/{t.orphan()}/purge", None)),
    "PUT /api/v1/stations/{station_id}/points": ("200 403 404 404 401 401", _points),
    "GET /api/v1/stations/{station_id}/status": ("200 200 404 404 401 401", lambda t: (f"{E13}/status", None)),
    "PUT /api/v1/stations/{station_id}/metadata": ("200 403 404 404 401 401", _metadata),
    "PUT /api/v1/stations/{station_id}/registration": ("200 403 404 404 401 401", lambda t: (f"{V1}/stations/{t.station()}/registration", {"registration": "Pending"})),
    "PUT /api/v1/stations/{station_id}/maintenance": ("200 200 404 404 401 401", lambda t: (f"{V1}/stations/{t.station()}/maintenance", {"disabled": True})),
    "POST /api/v1/stations/{station_id}/availability": ("200 200 404 404 401 401", lambda t: (f"{V1}/stations/{t.station()}/availability", {"available": False, "wait": 0})),
    "POST /api/v1/stations/{station_id}/credentials": ("201 403 404 404 401 401", lambda t: (f"{V1}/stations/{t.station()}/credentials", {"wait": 0})),
    "GET /api/v1/stations/{station_id}/events": ("200 200 404 404 401 401", lambda t: (f"{E13}/events", None)),
    "GET /api/v1/stations/{station_id}/statistics": ("200 200 404 404 401 401", lambda t: (f"{E13}/statistics?days=7", None)),
    # configuration keys and templates
    "GET /api/v1/stations/{station_id}/configuration": ("200 200 404 404 401 401", lambda t: (f"{E13}/configuration?q=heart", None)),
    "POST /api/v1/stations/{station_id}/configuration/refresh": ("202 202 404 404 401 401", lambda t: (f"{E13}/configuration/refresh", None)),
    "PUT /api/v1/stations/{station_id}/configuration/keys/{key}": (
        "202 403 404 404 401 401",
        lambda t: (f"{V1}/stations/{t.station()}/configuration/keys/HeartbeatInterval", {"value": "300"}),
    ),
    "POST /api/v1/stations/{station_id}/configuration/system": (
        "202 403 404 404 401 401",
        lambda t: (f"{V1}/stations/{t.station_of_model()}/configuration/system", None),
    ),
    "GET /api/v1/configuration/drift": ("200 200 200 200 401 401", lambda t: (f"{V1}/configuration/drift", None)),
    "GET /api/v1/configuration-templates": ("200 200 200 200 401 401", lambda t: (f"{V1}/configuration-templates", None)),
    "POST /api/v1/configuration-templates": (
        "201 403 403 201 401 401",
        lambda t: (f"{V1}/configuration-templates", {"vendor": "Matrix", "model": t.fresh("NEW-"), "keys": {}}),
    ),
    "GET /api/v1/configuration-templates/{template_id}": ("200 200 200 404 401 401", lambda t: (f"{V1}/configuration-templates/{t.template()['template_id']}", None)),
    "PUT /api/v1/configuration-templates/{template_id}": ("200 403 403 404 401 401", _template_edit),
    "DELETE /api/v1/configuration-templates/{template_id}": (
        "204 403 403 404 401 401",
        lambda t: (f"{V1}/configuration-templates/{t.template()['template_id']}", None),
    ),
    # stuck sessions and load management (ADR 0017)
    "GET /api/v1/stuck-sessions": ("200 200 200 200 401 401", lambda t: (f"{V1}/stuck-sessions", None)),
    "GET /api/v1/stations/{station_id}/stuck-sessions": ("200 200 404 404 401 401", lambda t: (f"{E13}/stuck-sessions", None)),
    "POST /api/v1/stations/{station_id}/sessions/{transaction_id}/soft-stop": ("200 403 404 404 401 401", _active_session),
    "GET /api/v1/scheduled-tasks/{task_id}/runs": ("200 403 404 404 401 401", lambda t: (_task_runs(t), None)),
    "GET /api/v1/groups/{group_id}/load-limit": ("200 200 404 404 401 401", lambda t: (_limited_group(t), None)),
    "PUT /api/v1/groups/{group_id}/load-limit": ("200 403 404 404 401 401", lambda t: (f"{V1}/groups/{t.group()['group_id']}/load-limit", {"limit_a": 40, "phases": 1})),
    "DELETE /api/v1/groups/{group_id}/load-limit": ("204 403 404 404 401 401", lambda t: (_limited_group(t), None)),
    "GET /api/v1/stations/{station_id}/load-management": ("200 200 404 404 401 401", lambda t: (f"{E13}/load-management", None)),
    "PUT /api/v1/stations/{station_id}/load-management": ("200 403 404 404 401 401", lambda t: (f"{V1}/stations/{t.station()}/load-management", {"excluded": True})),
    # remote commands (EVI00000013 is not connected: each command ends Offline at once)
    "POST /api/v1/stations/{station_id}/commands": ("202 202 404 404 401 401", lambda t: (f"{E13}/commands", {"action": "ClearCache"})),
    "GET /api/v1/stations/{station_id}/commands": ("200 200 404 404 401 401", lambda t: (f"{E13}/commands", None)),
    "GET /api/v1/stations/{station_id}/commands/{command_id}": ("200 200 404 404 401 401", _command),
    # reports (the target selection and report are the admin's, on ACME Pine Mall's stations)
    "POST /api/v1/reports": ("202 202 404 404 401 401", lambda t: (f"{V1}/reports", _report_body(t))),
    "GET /api/v1/reports/{report_id}": ("200 200 404 404 401 401", lambda t: (f"{V1}/reports/{_report(t)}", None)),
    "GET /api/v1/reports/{report_id}/rows": ("200 200 404 404 401 401", lambda t: (f"{V1}/reports/{_report(t)}/rows", None)),
    # dashboard
    "GET /api/v1/dashboard": ("200 200 200 200 401 401", lambda t: (f"{V1}/dashboard", None)),
    "GET /api/v1/dashboard/points": ("200 200 404 404 401 401", lambda t: (f"{V1}/dashboard/points?group_id={t.pine.group_id}", None)),
    "PUT /api/v1/dashboard/selection": ("200 200 404 404 401 401", lambda t: (f"{V1}/dashboard/selection", {"group_ids": [t.pine.group_id]})),
    "POST /api/v1/dashboard/recount": ("200 403 403 200 401 401", lambda t: (f"{V1}/dashboard/recount", None)),
    # charging users and tokens (the targets are homed in the whole-ACME domain)
    "GET /api/v1/charging-users": ("200 200 200 200 401 401", lambda t: (f"{V1}/charging-users", None)),
    "POST /api/v1/charging-users": (
        "201 201 404 404 401 401",
        lambda t: (f"{V1}/charging-users", {"first_name": "New", "last_name": "User", "email": f"{t.fresh('new')}@duckburg.test", "access_group_ids": [t.pine.group_id]}),
    ),
    "GET /api/v1/charging-users/{user_id}": ("200 200 404 404 401 401", lambda t: (f"{V1}/charging-users/{t.user()['user_id']}", None)),
    "PUT /api/v1/charging-users/{user_id}": ("200 200 404 404 401 401", _user_edit),
    "DELETE /api/v1/charging-users/{user_id}": ("204 403 404 404 401 401", lambda t: (f"{V1}/charging-users/{t.user()['user_id']}", None)),
    "POST /api/v1/charging-users/{user_id}/tokens": ("201 201 404 404 401 401", lambda t: (f"{V1}/charging-users/{t.user()['user_id']}/tokens", {"token_id": t.fresh("TOK")})),
    "PUT /api/v1/charging-users/{user_id}/tokens/{token_id}": ("200 200 404 404 401 401", _token_edit),
    "DELETE /api/v1/charging-users/{user_id}/tokens/{token_id}": ("204 403 404 404 401 401", _token_delete),
    # charging user groups
    "GET /api/v1/user-groups": ("200 200 200 200 401 401", lambda t: (f"{V1}/user-groups", None)),
    "POST /api/v1/user-groups": ("201 403 201 201 401 401", lambda t: (f"{V1}/user-groups", {"name": t.fresh("New users ")})),
    "GET /api/v1/user-groups/{user_group_id}": ("200 200 404 404 401 401", lambda t: (f"{V1}/user-groups/{t.user_group()['user_group_id']}", None)),
    "PUT /api/v1/user-groups/{user_group_id}": ("200 403 404 404 401 401", _user_group_edit),
    "DELETE /api/v1/user-groups/{user_group_id}": ("204 403 404 404 401 401", lambda t: (f"{V1}/user-groups/{t.user_group()['user_group_id']}", None)),
    # scheduled tasks: admins only; a task is seen through its key (a Pine Mall station here)
    "GET /api/v1/scheduled-tasks": ("200 403 200 200 401 401", lambda t: (f"{V1}/scheduled-tasks", None)),
    "POST /api/v1/scheduled-tasks": ("201 403 404 404 401 401", lambda t: (f"{V1}/scheduled-tasks", _task_body(t))),
    "POST /api/v1/scheduled-tasks/activation": (
        "200 403 404 404 401 401",
        lambda t: (f"{V1}/scheduled-tasks/activation", {"task_ids": [_task(t).rsplit("/", 1)[1]], "active": False}),
    ),
    "GET /api/v1/scheduled-tasks/{task_id}": ("200 403 404 404 401 401", lambda t: (_task(t), None)),
    "PUT /api/v1/scheduled-tasks/{task_id}": ("200 403 404 404 401 401", _task_edit),
    "DELETE /api/v1/scheduled-tasks/{task_id}": ("204 403 404 404 401 401", lambda t: (_task(t), None)),
    "POST /api/v1/scheduled-tasks/{task_id}/copy": ("201 403 404 404 401 401", lambda t: (_task(t, "/copy"), None)),
    # firmware: files are the organization's; updates and campaigns reach stations of the domain (E13 is offline)
    "POST /api/v1/firmware/files": ("201 403 201 201 401 401", lambda t: (f"{V1}/firmware/files", {"name": "fw.bin", "version": "2.0", "size": 10})),
    "POST /api/v1/firmware/files/{file_id}/uploaded": ("200 403 200 404 401 401", lambda t: (f"{V1}/firmware/files/{t.firmware_file()['file_id']}/uploaded", None)),
    "GET /api/v1/firmware/files": ("200 200 200 200 401 401", lambda t: (f"{V1}/firmware/files", None)),
    "GET /api/v1/firmware/versions": ("200 200 200 200 401 401", lambda t: (f"{V1}/firmware/versions", None)),
    "POST /api/v1/stations/{station_id}/firmware-update": ("409 403 404 404 401 401", lambda t: (f"{E13}/firmware-update", {"file_id": t.firmware_file()["file_id"]})),
    "GET /api/v1/stations/{station_id}/firmware-update": ("200 200 404 404 401 401", lambda t: (f"{V1}/stations/{t.station_with_update()}/firmware-update", None)),
    "POST /api/v1/firmware/campaigns": (
        "201 403 404 404 401 401",
        lambda t: (f"{V1}/firmware/campaigns", {"group_id": t.pine.group_id, "file_id": t.firmware_file()["file_id"], "concurrency": 2}),
    ),
    "GET /api/v1/firmware/campaigns": ("200 200 200 200 401 401", lambda t: (f"{V1}/firmware/campaigns", None)),
    "GET /api/v1/firmware/campaigns/{campaign_id}": ("200 200 404 404 401 401", lambda t: (f"{V1}/firmware/campaigns/{t.campaign()['campaign_id']}", None)),
    # diagnostics: every operator of the station's domain (E13 is offline)
    "POST /api/v1/stations/{station_id}/diagnostics": ("409 409 404 404 401 401", lambda t: (f"{E13}/diagnostics", {})),
    "GET /api/v1/stations/{station_id}/diagnostics": ("200 200 404 404 401 401", lambda t: (f"{E13}/diagnostics", None)),
    "GET /api/v1/stations/{station_id}/diagnostics/{request_id}/download": (
        "200 200 404 404 401 401",
        lambda t: (f"{V1}/stations/%s/diagnostics/%s/download" % t.diagnostics_file(), None),
    ),
}


def _routes() -> list[str]:
    from chalicelib.api import load_routes

    return sorted(f"{r.method} {r.path}" for r in load_routes())


@pytest.mark.parametrize("key", _routes())
def test_route_answers_each_caller_as_the_table_says(key, world, monkeypatch):
    from chalicelib import clock
    from tests.api.mailbox import Mailbox

    Mailbox()  # the sender identity verified, as in a deployed stage

    assert key in ROWS, f"{key} has no row in the authorization matrix"
    expected, build = ROWS[key]
    method = key.split(" ", 1)[0]
    clients = {
        "admin": world.admin,
        "basic": world.basic,
        "sibling": world.sibling,
        "other": world.other_org,
        "anon": world.anonymous,
        "expired": world.admin,
    }
    targets = Targets(world)
    got = {}
    real_now = clock.now
    for actor in ORDER:
        targets.client = clients[actor]
        path, body = build(targets)
        if actor == "expired":
            later = real_now() + timedelta(hours=2, minutes=1)
            monkeypatch.setattr(clock, "now", lambda: later)
        reply = clients[actor].request(method, path, body)
        monkeypatch.setattr(clock, "now", real_now)
        got[actor] = str(reply.status)
    assert " ".join(got[a] for a in ACTORS) == expected, {a: got[a] for a in ACTORS}
