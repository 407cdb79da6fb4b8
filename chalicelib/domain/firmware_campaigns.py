"""Firmware campaigns: every station of a group's subtree updated a few at a time (docs/adr/0016).

At creation each station is Waiting and the first `concurrency` are started; the minute job then
follows each Started station's update and starts the next ones as earlier ones end. A station that
is not connected when its turn comes is skipped (Offline) and reported, never queued: the campaign
ends, and the operator starts another one for the stations it lists.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain import charger_calls, firmware_files, firmware_updates, groups
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import DomainError, Invalid, NotFound
from chalicelib.domain.ids import new_id
from chalicelib.observability import logger
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.firmware import Campaign, CampaignStation, FirmwareFile, FirmwareUpdate
from chalicelib.ports.registry import store

CAMPAIGN_MISSING = "Firmware campaign not found."
NO_STATIONS = "The charging group has no charging stations."
REPLACED = "Replaced by another firmware update."
ACTIVE = "Started"
WAITING = "Waiting"
PAGE = 100


@dataclass(frozen=True)
class MemberView:
    station_id: str
    state: str
    update_status: str | None
    reason: str | None
    updated_at: datetime


@dataclass(frozen=True)
class CampaignView:
    campaign: Campaign
    counts: dict[str, int]
    stations: list[MemberView]


def create(principal: Principal, group_id: str, file_id: str, concurrency: int, options: firmware_updates.Options, now: datetime) -> CampaignView:
    group = groups.visible(principal, group_id)
    file = firmware_files.ready(principal, file_id)
    station_ids = _subtree(principal.org_id, group.path)
    if not station_ids:
        raise Invalid(NO_STATIONS)
    campaign = store().firmware.save_campaign(Campaign(
        principal.org_id, f"{now:%Y%m%d%H%M%S}-{new_id()[:6]}", file.file_id, file.version, group.group_id, concurrency,
        options.retries or 0, options.retry_interval or 0, principal.username, now,
    ))
    for station_id in station_ids:
        store().firmware.save_campaign_station(CampaignStation(principal.org_id, campaign.campaign_id, station_id, WAITING, now))
    advance(campaign, now)
    return view(principal, campaign.campaign_id)


def advance(campaign: Campaign, now: datetime) -> Campaign:
    """Follow the Started stations, start Waiting ones up to the concurrency, finish when none is left."""
    members = [_follow(m, now) for m in store().firmware.campaign_stations(campaign.org_id, campaign.campaign_id)]
    free = campaign.concurrency - sum(m.state == ACTIVE for m in members)
    file = store().firmware.get_file(campaign.org_id, campaign.file_id)
    for i, member in enumerate(members):
        if free <= 0:
            break
        if member.state == WAITING:
            members[i] = _start(campaign, file, member, now)
            free -= members[i].state == ACTIVE
    if any(m.state in (WAITING, ACTIVE) for m in members):
        return campaign
    logger.info("firmware campaign finished", extra={"campaign": campaign.campaign_id, "counts": dict(Counter(m.state for m in members))})
    return store().firmware.save_campaign(replace(campaign, state="Finished", finished_at=now))


def advance_all(now: datetime) -> int:
    """The minute job: advance every running campaign; one that fails is logged, the others go on."""
    done = 0
    for campaign in store().firmware.running_campaigns(now):
        try:
            done += advance(campaign, now).state == "Finished"
        except ConditionFailed:
            continue  # advanced by someone else meanwhile (an operator's request): next tick
        except Exception:  # noqa: BLE001 - one campaign's failure must not stop the others
            logger.exception("firmware campaign could not advance", extra={"campaign": campaign.campaign_id})
    return done


def view(principal: Principal, campaign_id: str) -> CampaignView:
    campaign = _visible(principal, campaign_id)
    members = store().firmware.campaign_stations(campaign.org_id, campaign.campaign_id)
    rows = [_row(campaign, m) for m in members]
    return CampaignView(campaign, dict(Counter(m.state for m in members)), rows)


def listing(principal: Principal) -> list[Campaign]:
    """The campaigns of groups in the operator's domain, newest first."""
    paths: dict[str, bool] = {}
    found = []
    for campaign in store().firmware.campaigns(principal.org_id):
        if campaign.group_id not in paths:
            group = store().estate.get_group(principal.org_id, campaign.group_id)
            paths[campaign.group_id] = group is not None and principal.covers(group.path)
        if paths[campaign.group_id]:
            found.append(campaign)
    return found


def _visible(principal: Principal, campaign_id: str) -> Campaign:
    campaign = store().firmware.get_campaign(principal.org_id, campaign_id) if campaign_id else None
    if campaign is None:
        raise NotFound(CAMPAIGN_MISSING)
    try:
        groups.visible(principal, campaign.group_id)
    except NotFound:
        raise NotFound(CAMPAIGN_MISSING) from None
    return campaign


def _row(campaign: Campaign, member: CampaignStation) -> MemberView:
    update = store().firmware.get_update(campaign.org_id, member.station_id) if member.state == ACTIVE else None
    status = update.status if update is not None and update.update_id == member.update_id else None
    return MemberView(member.station_id, member.state, status, member.reason, member.updated_at)


def _follow(member: CampaignStation, now: datetime) -> CampaignStation:
    """A Started station's state from its update: Installed, Failed (with why), or still Started."""
    if member.state != ACTIVE:
        return member
    update = store().firmware.get_update(member.org_id, member.station_id)
    if update is None or update.update_id != member.update_id:
        return _save(replace(member, state="Failed", reason=REPLACED, updated_at=now))
    if update.status == "Installed":
        return _save(replace(member, state="Installed", reason=None, updated_at=now))
    if update.status in firmware_updates.FAILED:
        return _save(replace(member, state="Failed", reason=update.reason or update.status, updated_at=now))
    return member


def _start(campaign: Campaign, file: FirmwareFile | None, member: CampaignStation, now: datetime) -> CampaignStation:
    # Claimed first (its revision): two advances at once never send the same station two calls.
    claimed = _save(replace(member, state=ACTIVE, updated_at=now))
    options = firmware_updates.Options(None, campaign.retries or None, campaign.retry_interval or None)
    try:
        if file is None:
            raise NotFound(firmware_files.FILE_MISSING)
        update = firmware_updates.start(campaign.org_id, member.station_id, file, options, now, campaign.created_by, campaign.campaign_id)
    except DomainError as exc:
        return _save(replace(claimed, state="Failed", reason=exc.message, updated_at=now))
    return _save(replace(claimed, **_outcome(update), updated_at=now))


def _outcome(update: FirmwareUpdate) -> dict:
    if update.status != "Failed":
        return {"update_id": update.update_id}
    if update.reason == charger_calls.NOT_CONNECTED:
        return {"state": "Offline", "update_id": update.update_id, "reason": "Skipped: the charging station was not connected."}
    return {"state": "Failed", "update_id": update.update_id, "reason": update.reason}


def _save(member: CampaignStation) -> CampaignStation:
    return store().firmware.save_campaign_station(member)


def _subtree(org_id: str, path: str) -> list[str]:
    """Every station identifier under a group path (all pages of the path index)."""
    found, cursor = [], None
    while True:
        page = store().estate.page_in_subtree(org_id, path, PAGE, cursor, None)
        found.extend(s.station_id for s in page.items)
        cursor = page.cursor
        if cursor is None:
            return found
