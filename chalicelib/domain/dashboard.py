"""The dashboard: the selected groups' live summary, the domain's donut, last 24 hours and days.

Reads (independent of the number of sessions and stations): the operator's selection (GetItem), the
domain's groups (one Query), every group's live counters (one Query), the organization's time zone
(GetItem), and per roll-up scope of the domain one Query of 24 hourly and one of N daily items.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import rollups, station_view, statistics
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import GROUP_MISSING, NotFound
from chalicelib.domain.statistics import Cumulative, Day, Summary
from chalicelib.ports.aggregates import ORPHANS, GroupNode
from chalicelib.ports.registry import store


@dataclass
class GroupSummary:
    group_id: str
    name: str
    summary: Summary


@dataclass
class Dashboard:
    selection: list[str]
    selected: Summary
    groups: list[GroupSummary]
    domain: Summary
    last_24_hours: Cumulative
    timezone: str
    days: list[Day]


def dashboard(principal: Principal, days: int, now: datetime) -> Dashboard:
    domain_groups = store().aggregates.groups_under(principal.org_id, principal.base_path)
    by_id = {g.group_id: g for g in domain_groups}
    selection = _selection(principal, by_id)
    counts = statistics.live_counts(principal.org_id)
    per_group = [
        GroupSummary(group_id, by_id[group_id].name, _subtree(counts, domain_groups, [by_id[group_id].path]))
        for group_id in selection
    ]
    selected = _subtree(counts, domain_groups, [by_id[g].path for g in selection])
    whole = [counts.get(g.group_id, Counter()) for g in domain_groups]
    if station_view.can_see(principal, None):
        whole.append(counts.get(ORPHANS, Counter()))
    tz = rollups.timezone_of(principal.org_id)
    scopes = statistics.domain_scopes(principal)
    totals, _ = statistics.per_day(scopes, statistics.window(days, tz, now))
    return Dashboard(
        selection=selection,
        selected=selected,
        groups=per_group,
        domain=statistics.summarize(whole),
        last_24_hours=statistics.last_24_hours(scopes, now),
        timezone=tz,
        days=totals,
    )


def select(principal: Principal, group_ids: list[str]) -> list[str]:
    """Remember the operator's selection; a group outside the domain is answered as a missing one."""
    known = {g.group_id for g in store().aggregates.groups_under(principal.org_id, principal.base_path)}
    chosen = list(dict.fromkeys(group_ids))
    if any(group_id not in known for group_id in chosen):
        raise NotFound(GROUP_MISSING)
    store().aggregates.save_dashboard_selection(principal.username, chosen)
    return chosen or [principal.base_group_id]


def _selection(principal: Principal, by_id: dict[str, GroupNode]) -> list[str]:
    """The remembered groups still in the domain; the base group when there are none."""
    saved = store().aggregates.dashboard_selection(principal.username) or []
    kept = [group_id for group_id in dict.fromkeys(saved) if group_id in by_id]
    return kept or [principal.base_group_id]


def _subtree(counts: dict[str, Counter], domain_groups: list[GroupNode], paths: list[str]) -> Summary:
    """Summary of every group under any of `paths` (a group under two selected ones counts once)."""
    return statistics.summarize(
        [counts.get(g.group_id, Counter()) for g in domain_groups if any(g.path.startswith(p) for p in paths)]
    )
