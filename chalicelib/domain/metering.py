"""The energy rule (docs/adr/0008-energy-rule.md): register readings, their plausibility, the session's energy.

A session's energy is the rise of the connector's energy register from `meterStart`. A reading counts only
when it is newer than the last one counted, not lower, and possible for the connector: the register can
never have risen faster than the connector's maximum power (plus a margin) since the session started.
Anything else is kept as raw data and flagged on the session, never counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.clock import UTC

ENERGY = "Energy.Active.Import.Register"  # the measurand when none is given (OCPP 1.6)
POWER = "Power.Active.Import"
SOC = "SoC"
SCALE = {"Wh": 1.0, "kWh": 1000.0, "W": 1.0, "kW": 1000.0, "Percent": 1.0}

# 100 GWh: more than a 350 kW charger delivers in 30 years of non-stop use.
MAX_REGISTER_WH = 1e11
# Without a configured socket power, the most any OCPP 1.6 connector on the market delivers.
DEFAULT_MAX_POWER_W = 400_000.0
POWER_MARGIN = 1.1  # meters and chargers disagree by a few percent
SLACK_SECONDS = 60  # timestamps in whole seconds, clocks a little apart
# Timestamps a charger's clock cannot mean: before OCPP 1.6 existed, or a day ahead of ours.
EARLIEST = datetime(2010, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)

# Flags a session can carry (TransactionItem.flags).
IMPLAUSIBLE_SAMPLE = "implausible_sample"
REGISTER_DECREASED = "register_decreased"
UNREADABLE_SAMPLE = "unreadable_sample"
CLOCK_IMPLAUSIBLE = "clock_implausible"
METER_STOP_IMPLAUSIBLE = "meter_stop_implausible"
METER_STOP_BELOW_SAMPLES = "meter_stop_below_samples"
STATISTICS_SKIPPED = "statistics_skipped"
SOFT_STOPPED = "soft_stopped"  # closed by the stuck-session rule with its last counted register (ADR 0017)


@dataclass(frozen=True)
class Value:
    """One SampledValue; `number` is None for SignedData or a value that could not be read."""

    measurand: str
    unit: str
    number: float | None
    phase: str | None = None
    context: str | None = None


@dataclass
class Entry:
    """One MeterValue: when it was sampled, its values, and the raw SampledValue list as received."""

    at: datetime
    values: list[Value]
    raw: list[dict]
    flags: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Reading:
    """What one MeterValue says: the register (None when absent or implausible), power, state of charge."""

    at: datetime
    register_wh: float | None
    power_w: float | None
    soc: float | None
    begin: bool
    implausible: bool


def event_time(claimed: datetime, received: datetime) -> tuple[datetime, bool]:
    """The charger's time, or ours when its clock cannot be right (True: substituted)."""
    if claimed < EARLIEST or claimed > received + FUTURE_SLACK:
        return received, True
    return claimed, False


def read(entry: Entry) -> Reading:
    """Totals are preferred over per-phase values; an impossible register is marked, not returned."""
    register = power = soc = None
    begin = implausible = False
    phases: dict[str, float] = {}
    for value in entry.values:
        if value.number is None:
            continue
        scaled = value.number * SCALE.get(value.unit, 1.0)
        if value.measurand == ENERGY and value.phase is None:
            begin = value.context == "Transaction.Begin"
            if math.isfinite(scaled) and 0 <= scaled <= MAX_REGISTER_WH:
                register, implausible = scaled, False
            else:
                register, implausible = None, True
        elif value.measurand == POWER and math.isfinite(scaled) and abs(scaled) <= MAX_REGISTER_WH:
            if value.phase is None:
                power = scaled
            elif not value.phase.startswith("N"):
                phases[value.phase] = phases.get(value.phase, 0.0) + scaled
        elif value.measurand == SOC and 0 <= value.number <= 100:
            soc = value.number
    if power is None and phases:
        power = sum(phases.values())
    return Reading(entry.at, register, power, soc, begin, implausible)


def configured_powers(points: list[dict]) -> dict[int, float]:
    """Connector id -> maximum power in W, for the points whose sockets operators gave a power."""
    powers = {}
    for index, item in enumerate(points or []):
        point = item.as_dict() if hasattr(item, "as_dict") else item
        watts = [float(s["max_kw"]) * 1000 for s in point.get("sockets") or [] if s.get("max_kw")]
        if watts:
            powers[int(point.get("point", index + 1))] = max(watts)
    return powers


def max_power_w(powers: dict[int, float], connector_id: int) -> float:
    """The connector's configured power, else the market's maximum."""
    return powers.get(connector_id) or DEFAULT_MAX_POWER_W


def _rate(max_power: float) -> float:
    """Wh per second at the connector's power with the margin."""
    return max_power * POWER_MARGIN / 3600


def energy_base(meter_start_wh: float, started_at: datetime, max_power: float) -> float:
    """Stored on the session: a reading R at time t is possible iff base >= floor(R, t) (see `floor`)."""
    return meter_start_wh - _rate(max_power) * started_at.timestamp()


def floor(register_wh: float, at: datetime, max_power: float) -> float:
    """R - rate * (t + slack): compared against the session's `energy_base` in a conditional write."""
    return register_wh - _rate(max_power) * (at.timestamp() + SLACK_SECONDS)


def possible(register_wh: float, at: datetime, base: float | None, max_power: float | None) -> bool:
    """Whether the register can have reached this value by `at` (sessions from before the rule: always)."""
    if base is None or max_power is None:
        return True
    return base >= floor(register_wh, at, max_power)


@dataclass(frozen=True)
class FinalRegister:
    register_wh: float
    flags: frozenset[str]


def final_register(
    meter_stop: int, stopped_at: datetime, meter_start_wh: float, last_register_wh: float,
    base: float | None, max_power: float | None,
) -> FinalRegister:
    """meterStop is the charger's final reading and wins when it is possible; otherwise the last counted one."""
    if meter_start_wh <= meter_stop <= MAX_REGISTER_WH and possible(meter_stop, stopped_at, base, max_power):
        flags = {METER_STOP_BELOW_SAMPLES} if meter_stop < last_register_wh else set()
        return FinalRegister(float(meter_stop), frozenset(flags))
    return FinalRegister(last_register_wh, frozenset({METER_STOP_IMPLAUSIBLE}))
