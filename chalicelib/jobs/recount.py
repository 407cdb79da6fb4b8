"""Recount the live group counters of a few organizations each minute, every organization once an hour.

The counters are exact by construction (ADR 0003); the recount is the safety net for what a bug, a
restored backup or a hand edit left behind. One fixed slice of the tenant table per minute of the hour
(`stations.organization_slice`): no cursor to store, each organization recounted once per SLICES
minutes, and a tick reads only its slice. A correction is an operator's warning: it names the
organization and each counter as was -> now.
"""

from __future__ import annotations

from chalicelib.domain import aggregates
from chalicelib.jobs.runner import Tick
from chalicelib.observability import logger
from chalicelib.ports.registry import store

NAME = "recount"
SLICES = 60  # one slice per minute of the hour: every organization once an hour


def run(tick: Tick) -> list[aggregates.Recount]:
    """The recounts of this minute's slice (keyed by EventBridge's time, so a retried tick redoes the same)."""
    part = tick.scheduled_at.minute % SLICES
    done = []
    for org_id in store().stations.organization_slice(part, SLICES):
        try:
            result = aggregates.recounted(org_id)
        except Exception:  # noqa: BLE001 - one organization's failure must not skip the rest of the slice
            logger.exception("recount failed", extra={"org_id": org_id})
            continue
        if result.created or result.corrected:
            _warn(result)
        done.append(result)
    return done


def _warn(result: aggregates.Recount) -> None:
    differences = {
        group: {name: f"{was} -> {now}" for name, (was, now) in counters.items()}
        for group, counters in result.corrected.items()
    }
    logger.warning(
        "live counters corrected by the recount",
        extra={"org_id": result.org_id, "differences": differences, "live_records_built": result.created},
    )
