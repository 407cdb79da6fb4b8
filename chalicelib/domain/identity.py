"""Who is connecting: resolve the station from the URL and check its credentials at $connect."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.domain import aggregates, metering, throttle
from chalicelib.domain.station_passwords import matches
from chalicelib.ports.registry import store

if TYPE_CHECKING:
    from chalicelib.ports.stations import Station

IDENTIFIER = re.compile(r"^[A-Za-z0-9_-]{1,48}$")
# Failed HTTP Basic attempts per 15 minutes (ADR 0009): per station from one address, so a stranger
# elsewhere cannot lock out a working charger, and per address over all stations.
PER_STATION_AND_SOURCE = 5
PER_SOURCE = 50

# `previous_password_hash` of a station that connected without a password (ports.station_settings.NO_PASSWORD;
# not imported from there: this module is on every cold $default, that one builds several dataclasses).
NO_PASSWORD = ""


class ConnectRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class StationIdentity:
    org_id: str
    station_id: str
    # Connector id -> configured maximum power in W (the energy rule), as the station was at $connect.
    powers: dict[int, float] = field(default_factory=dict, compare=False)
    # Accepted, Pending or Rejected: what the station's frames are judged by (protocol/registration.py).
    registration: str = field(default="Accepted", compare=False)
    connected_at: datetime | None = field(default=None, compare=False)


def arrival(station_id: str | None, org_id: str | None, now: datetime) -> tuple[StationIdentity, Station, object]:
    """Find the station the charger names (auto-registered as Pending if its organization allows), with its
    live record read in the same request (the $connect writes it next): the third value is for
    connections.connected(live=...), aggregates.UNREAD when it was not read."""
    if not station_id or not IDENTIFIER.match(station_id):
        raise ConnectRefused(400, "missing or malformed charge point identifier")
    if org_id is not None and not IDENTIFIER.match(org_id):
        raise ConnectRefused(400, "malformed organization")
    if org_id is None:
        org_id = _owner_of_short_url(station_id)
    station, live = store().aggregates.station_and_live(org_id, station_id)
    if station is None:
        stations = store().stations
        organization = stations.organization(org_id)
        if organization is None or not organization.auto_register:
            raise ConnectRefused(404, "unknown charge point")
        station, live = stations.create_pending(org_id, station_id, now), aggregates.UNREAD  # it has one now
    identity = StationIdentity(org_id, station_id, metering.configured_powers(station.points), station.registration, now)
    return identity, station, live


def connect_limits(station: Station, source: str) -> list[throttle.Limit]:
    return [
        throttle.Limit(f"CONNECT#ip#{source}#st#{station.org_id}#{station.station_id}", PER_STATION_AND_SOURCE),
        throttle.Limit(f"CONNECT#ip#{source}", PER_SOURCE, throttle.REFUND),
    ]


def _owner_of_short_url(station_id: str) -> str:
    """The organization whose station answers `/ocpp/<id>`: the one that claimed the identifier first
    (ADR 0011), so another tenant creating the same identifier never locks a working charger out."""
    stations = store().stations
    owner = stations.claimed_by(station_id)
    if owner is not None:
        return owner
    orgs = stations.orgs_with_station_id(station_id)  # stations from before claims, or a released claim
    if len(orgs) > 1:
        raise ConnectRefused(409, "identifier is ambiguous: name the organization in the URL")
    if not orgs:
        raise ConnectRefused(404, "unknown charge point")
    stations.claim(orgs[0], station_id)
    return orgs[0]


def authenticate(station: Station, headers: dict[str, str], source: str, now: datetime) -> None:
    """OCPP security profiles 1 and 2: HTTP Basic with the station id as user name, attempts throttled.
    While a new password is not yet adopted the previous one is accepted too (station_credentials.py)."""
    if not station.password_hash:
        return
    header = headers.get("authorization") or headers.get("x-charger-authorization")
    if header is None and station.previous_password_hash == NO_PASSWORD:
        return  # it had no password before this one, and has not been configured with it yet
    limits = connect_limits(station, source)
    try:
        throttle.take(limits, now)  # reserved before the check: parallel attempts cannot exceed it
    except throttle.Throttled as exc:
        raise ConnectRefused(429, "too many failed charger log-ins from this address") from exc
    user, password = _basic_credentials(header)
    if user != station.station_id:
        raise ConnectRefused(401, "wrong charger credentials")
    if matches(station.password_hash, password):
        if station.previous_password_hash is not None:
            store().station_settings.password_adopted(station.org_id, station.station_id, station.password_hash)
    elif not (station.previous_password_hash and matches(station.previous_password_hash, password)):
        raise ConnectRefused(401, "wrong charger credentials")
    throttle.succeeded(limits)


def _basic_credentials(header: str | None) -> tuple[str | None, str]:
    if not header or not header.lower().startswith("basic "):
        return None, ""
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, ""
    user, _, password = decoded.partition(":")
    return user, password
