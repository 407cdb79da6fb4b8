"""Sharing a group's current limit among its charging connectors: a pure function (ADR 0017).

Every connector gets the same current, except that one which cannot take its share (its own maximum is
lower) takes what it can and leaves the rest to the others (water-filling). A car cannot charge below
the minimum current of IEC 61851 (6 A): when the limit cannot give every connector that much, the
connectors that started first keep charging and the others get 0 A (paused) until a session ends.
Currents are rounded down to 0.1 A, so the shares never add up to more than the limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

VOLTS = 230.0  # phase-to-neutral voltage that turns a socket's kW into amperes per phase


@dataclass(frozen=True)
class Demand:
    """One charging connector: its key, when its session started (the order of precedence), its maximum."""

    key: tuple[str, int]  # (station id, connector id)
    started_at: float  # a timestamp: earlier sessions keep charging when the limit is short
    max_a: float = math.inf


def amperes(max_kw: float | None, phases: int) -> float:
    """A socket's maximum power as amperes per phase (unknown: no maximum of its own)."""
    if not max_kw:
        return math.inf
    return max_kw * 1000 / (VOLTS * phases)


def shares(limit_a: float, demands: list[Demand], min_a: float = 6.0) -> dict[tuple[str, int], float]:
    """Connector key -> amperes per phase; their sum never exceeds `limit_a`."""
    if limit_a < 0 or min_a < 0:
        raise ValueError("a limit and a minimum current are never negative")
    ordered = sorted(demands, key=lambda d: (d.started_at, d.key))
    admitted = _admitted(limit_a, ordered, min_a)
    result = {d.key: 0.0 for d in ordered}
    result.update(_water_fill(limit_a, admitted))
    return result


def _admitted(limit_a: float, ordered: list[Demand], min_a: float) -> list[Demand]:
    """The connectors that can each be given at least the minimum current, earliest sessions first."""
    able = [d for d in ordered if d.max_a >= min_a]
    if min_a == 0:
        return able
    return able[: int(limit_a // min_a + 1e-9)]


def _water_fill(limit_a: float, demands: list[Demand]) -> dict[tuple[str, int], float]:
    """In tenths of an ampere (integers: no float sum can pass the limit); the remainder is left unused."""
    left = _tenths(limit_a)
    result = {}
    by_max = sorted(demands, key=lambda d: d.max_a)
    for index, demand in enumerate(by_max):
        level = left // (len(by_max) - index)  # the equal share of those not yet served
        if _tenths(demand.max_a) >= level:  # this one and every larger one take the same level
            result.update((d.key, level / 10) for d in by_max[index:])
            break
        result[demand.key] = _tenths(demand.max_a) / 10
        left -= _tenths(demand.max_a)
    return result


def _tenths(amps: float) -> int:
    """Rounded down to 0.1 A (the resolution of OCPP's chargingRateUnit A)."""
    return 10**9 if math.isinf(amps) else math.floor(amps * 10 + 1e-9)
