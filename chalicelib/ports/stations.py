"""The stations port: who a charger is at $connect, what it says about itself, and the Authorize lookup."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from chalicelib.ports.organizations import Organization  # noqa: F401 (re-exported)

# What a BootNotification may tell about a station: OCPP field -> station attribute.
BOOT_FIELDS = {
    "chargePointVendor": "vendor",
    "chargePointModel": "model",
    "chargePointSerialNumber": "serial_number",
    "chargeBoxSerialNumber": "box_serial_number",
    "firmwareVersion": "firmware_version",
    "iccid": "iccid",
    "imsi": "imsi",
    "meterType": "meter_type",
    "meterSerialNumber": "meter_serial_number",
}
PROGRESS_KINDS = ("FirmwareStatusNotification", "DiagnosticsStatusNotification")


@dataclass
class Station:
    """What the charging path needs of a station."""

    org_id: str
    station_id: str
    registration: str = "Accepted"
    password_hash: str | None = None
    # A password being replaced, still accepted until the station logs in with the new one ("" = none).
    previous_password_hash: str | None = None
    group_id: str | None = None
    group_path: str | None = None
    point_count: int = 1
    connected: bool = False
    # The configured points as plain dicts: {"point": 1, "sockets": [{"max_kw": 22, ...}]}.
    points: list[dict] = field(default_factory=list, compare=False)


@dataclass
class Token:
    """An RFID token as Authorize sees it (token ids are stored upper-cased)."""

    token_id: str
    user_id: str
    status: str = "Active"
    valid_from: datetime | None = None
    valid_to: datetime | None = None


@dataclass
class TokenHolder:
    """The charging user a token belongs to, with the access rights Authorize checks."""

    user_id: str
    active: bool = True
    user_group_id: str | None = None
    access_station_ids: tuple[str, ...] = ()
    access_group_ids: tuple[str, ...] = ()


class Stations(Protocol):
    def get(self, org_id: str, station_id: str) -> Station | None: ...

    def organization(self, org_id: str) -> Organization | None: ...

    def create_pending(self, org_id: str, station_id: str, now: datetime) -> Station:
        """An auto-registered orphan, Pending; the existing station when one won a race. Claims the identifier."""

    def claimed_by(self, station_id: str) -> str | None:
        """The organization holding the short URL of this identifier."""

    def claim(self, org_id: str, station_id: str) -> bool:
        """Give `org_id` the short URL unless another organization holds it."""

    def orgs_with_station_id(self, station_id: str, limit: int = 2) -> list[str]: ...

    def station_ids(self, org_id: str) -> list[str]:
        """Every station identifier of an organization (an administrator's recount, not a request path)."""

    def organization_slice(self, part: int, parts: int) -> list[str]:
        """The organizations of one of `parts` fixed slices of the tenant table (0 <= part < parts): each
        organization is in exactly one slice, always the same, so a job visiting one slice a minute visits
        every organization once per `parts` minutes and reads only that slice (a parallel-Scan segment)."""

    def record_boot(self, org_id: str, station_id: str, info: dict[str, str], now: datetime) -> Station:
        """Store BootNotification data (keys of BOOT_FIELDS' values); raises NotFound for a purged station."""

    def record_progress(self, org_id: str, station_id: str, kind: str, value: str) -> None:
        """A firmware or diagnostics status kept on the station (kind: one of PROGRESS_KINDS)."""

    def accept_pending(self, org_id: str, station_id: str) -> bool:
        """Registration Pending -> Accepted (its configuration template applied); False when not Pending."""

    # --- the Authorize lookup: read lazily, one item at a time, in the order the rules need them ---
    def token(self, org_id: str, token_id: str) -> Token | None: ...

    def token_holder(self, org_id: str, user_id: str) -> TokenHolder | None: ...

    def user_group_active(self, org_id: str, user_group_id: str) -> bool | None:
        """Whether the user group is active; None when it does not exist."""
