"""Differential SendLocalList updates after the system changed whether users may charge (scheduled tasks).

A charger that authorizes from its local list (LocalAuthListEnabled true) may not ask us, so a user
made inactive must also leave its list. Only the stations the changed users may charge at are looked at
(their access stations and the stations under their access groups), and only those whose known
configuration says LocalAuthListEnabled true get a Differential update with the users' tokens and what
Authorize would answer now; a station that is offline gets it queued for its next boot. Stations whose
list setting was never read (no GetConfiguration answer) are left alone: they ask Authorize.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from chalicelib.domain import commands
from chalicelib.domain.remote_commands import LOCAL_LIST_MAX, tag_info
from chalicelib.observability import logger
from chalicelib.ports.calls import Command
from chalicelib.ports.registry import store
from chalicelib.ports.users import ChargingUser

LIST_SETTING = "LocalAuthListEnabled"
PAGE = 100


def push(org_id: str, users: Iterable[ChargingUser], now: datetime) -> list[Command]:
    """Send each station using a local list the entries of those of `users` who may charge there."""
    users = list(users)
    groups = store().users.user_groups_by_id(org_id, {u.user_group_id for u in users if u.user_group_id})
    entries: dict[str, list[dict]] = defaultdict(list)
    stations_of_group: dict[str, list[str]] = {}
    for user in users:
        group = groups.get(user.user_group_id) if user.user_group_id else None
        usable = user.active and (group is None or group.active)
        tokens = [{"idTag": t.token_id, "idTagInfo": tag_info(usable, t, now)} for t in store().users.tokens_of(org_id, user.user_id)]
        if tokens:
            for station_id in _stations_of(org_id, user, stations_of_group):
                entries[station_id] += tokens
    return [sent for station_id in sorted(entries) if uses_local_list(org_id, station_id)
            for sent in _send(org_id, station_id, entries[station_id], now)]


def uses_local_list(org_id: str, station_id: str) -> bool:
    known = store().configuration.key(org_id, station_id, LIST_SETTING)
    return known is not None and (known.value or "").strip().lower() == "true"


def _stations_of(org_id: str, user: ChargingUser, cache: dict[str, list[str]]) -> set[str]:
    found = set(user.access_station_ids or [])
    for group_id in user.access_group_ids or []:
        if group_id not in cache:
            cache[group_id] = _stations_under(org_id, group_id)
        found.update(cache[group_id])
    return found


def _stations_under(org_id: str, group_id: str) -> list[str]:
    group = store().estate.get_group(org_id, group_id)
    if group is None:
        return []
    found, cursor = [], None
    while True:
        page = store().estate.page_in_subtree(org_id, group.path, PAGE, cursor, None)
        found += [s.station_id for s in page.items]
        cursor = page.cursor
        if not cursor:
            return found


def _send(org_id: str, station_id: str, entries: list[dict], now: datetime) -> list[Command]:
    """In parts of at most LOCAL_LIST_MAX entries, each with a higher version (the time in seconds, as the full list)."""
    sent = []
    for part, start in enumerate(range(0, len(entries), LOCAL_LIST_MAX)):
        payload = {"listVersion": int(now.timestamp()) + part, "updateType": "Differential",
                   "localAuthorizationList": entries[start:start + LOCAL_LIST_MAX]}
        try:
            sent.append(commands.send(org_id, station_id, "SendLocalList", payload, queue=True))
        except Exception:  # noqa: BLE001 - one station's failure must not keep the others' lists stale
            logger.exception("local list update not sent", extra={"station_id": station_id})
    return sent
