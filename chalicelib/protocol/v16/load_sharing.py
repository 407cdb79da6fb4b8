"""After a StartTransaction or StopTransaction is answered, load management re-shares the group's limit
(ADR 0017). The outbound module and the load rules are imported only when that work runs."""

from __future__ import annotations


def after_answer(ctx) -> None:
    """Leave the re-share for after the answer: it never delays it, and its failure never changes it."""
    ctx.after_answer.append(lambda: _share(ctx.org_id, ctx.station_id))


def _share(org_id: str, station_id: str) -> list:
    from chalicelib.protocol.v16.outbound import set_charging_profile

    return set_charging_profile.share_load(org_id, station_id)
