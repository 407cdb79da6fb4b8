"""May this RFID token charge at this station? Token status and validity, user, user group, access rights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib import clock
from chalicelib.ports.registry import store

if TYPE_CHECKING:
    from chalicelib.ports.stations import TokenHolder


@dataclass(frozen=True)
class TokenDecision:
    status: str  # OCPP 1.6 AuthorizationStatus: Accepted, Blocked, Expired, Invalid, ConcurrentTx
    expiry: datetime | None = None
    user_id: str | None = None

    def id_tag_info(self) -> dict:
        info: dict = {"status": self.status}
        if self.expiry is not None:
            info["expiryDate"] = clock.rfc3339(self.expiry)
        return info


def authorize(org_id: str, station_id: str, id_tag: str, now: datetime) -> TokenDecision:
    # idTags are case-insensitive (CiString20): tokens are stored upper-cased (see domain.tokens.canonical).
    if not id_tag.strip():
        return TokenDecision("Invalid")  # an empty idTag names no token (and is no key to look up)
    stations = store().stations
    token = stations.token(org_id, id_tag.upper())
    if token is None:
        return TokenDecision("Invalid")
    if token.status != "Active":
        return TokenDecision("Blocked", user_id=token.user_id)
    if token.valid_from is not None and now < token.valid_from:
        return TokenDecision("Invalid", user_id=token.user_id)
    if token.valid_to is not None and now >= token.valid_to:
        return TokenDecision("Expired", token.valid_to, token.user_id)
    user = stations.token_holder(org_id, token.user_id)
    if user is None or not user.active:
        return TokenDecision("Blocked", user_id=token.user_id)
    if user.user_group_id and stations.user_group_active(org_id, user.user_group_id) is False:
        return TokenDecision("Blocked", user_id=user.user_id)
    if not _may_use(org_id, station_id, user):
        # OCPP 1.6 has no "not at this location"; Invalid makes the charger refuse without retrying.
        return TokenDecision("Invalid", user_id=user.user_id)
    return TokenDecision("Accepted", token.valid_to, user.user_id)


def _may_use(org_id: str, station_id: str, user: TokenHolder) -> bool:
    if station_id in (user.access_station_ids or []):
        return True
    group_ids = user.access_group_ids or []
    if not group_ids:
        return False
    station = store().stations.get(org_id, station_id)
    path = (station.group_path or "") if station else ""
    return any(f"/{group_id}/" in path for group_id in group_ids)
