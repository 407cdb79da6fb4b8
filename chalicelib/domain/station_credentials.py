"""A station's HTTP Basic password (OCPP security profiles 1 and 2): generated, shown once, stored hashed.

The password is 20 random letters and digits. OCPP 1.6 sets it in a charger as the configuration key
`AuthorizationKey`, whose value is the hexadecimal form (40 digits); a conformant charger decodes it
and presents the 20 characters in its Basic header, some present the hex digits themselves: both
are accepted (docs/adr/0015-station-passwords.md). Until the station logs in with the new password
the one it replaces stays valid, so a push that fails, or a charger configured by hand later, never
locks the station out; its first log-in with the new one forgets the old.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain import commands
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import STATION_MISSING, NotFound
from chalicelib.domain.passwords import hash_password
from chalicelib.domain.station_passwords import authorization_key, generate
from chalicelib.domain.station_view import visible
from chalicelib.ports.calls import Command
from chalicelib.ports.errors import NotFound as Gone
from chalicelib.ports.registry import store
from chalicelib.ports.station_settings import NO_PASSWORD


@dataclass(frozen=True)
class NewCredentials:
    station_id: str
    password: str  # shown once: only its hash is kept
    authorization_key: str  # the hex form OCPP's AuthorizationKey takes
    manual_steps: list[str]
    push: Command | None  # ChangeConfiguration AuthorizationKey, when the station was connected


def rotate(principal: Principal, station_id: str, wait_s: float = 0) -> NewCredentials:
    """A new password for the station, pushed to it when it is connected (ChangeConfiguration
    AuthorizationKey); the current one stays accepted until the station uses the new."""
    visible(principal, station_id, consistent=True)
    current = store().stations.get(principal.org_id, station_id)
    if current is None:
        raise NotFound(STATION_MISSING)
    password = generate()
    try:
        store().station_settings.set_password(principal.org_id, station_id, hash_password(password), _kept(current))
    except Gone as exc:
        raise NotFound(STATION_MISSING) from exc
    key = authorization_key(password)
    return NewCredentials(station_id, password, key, manual_steps(station_id, password), _push(principal, station_id, key, wait_s))


def _push(principal: Principal, station_id: str, key: str, wait_s: float) -> Command | None:
    if store().connections.current(principal.org_id, station_id) is None:
        return None  # the operator follows the manual steps
    payload = {"key": "AuthorizationKey", "value": key}
    command = commands.send(principal.org_id, station_id, "ChangeConfiguration", payload, operator_id=principal.username)
    return commands.waited(command, wait_s)


def _kept(current) -> str | None:
    """What stays accepted meanwhile: the password the station is known to use."""
    if current.previous_password_hash is not None:
        return current.previous_password_hash  # the last one not yet adopted: the station still uses the older
    return current.password_hash or NO_PASSWORD


def manual_steps(station_id: str, password: str) -> list[str]:
    return [
        "Open the charging station's configuration (its web interface or the vendor's tool).",
        f"Set the OCPP user name (charge point identity) to {station_id} and the password (HTTP Basic "
        f"authentication, security profile 1 or 2) to {password}; a field named AuthorizationKey takes "
        f"{authorization_key(password)}.",
        "Save and restart the connection (or the station); its first log-in with the new password retires the old one.",
    ]
