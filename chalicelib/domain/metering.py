"""Meter values normalised: energy register in Wh, power in W, state of charge in percent."""

from __future__ import annotations

from datetime import datetime

from chalicelib import clock
from chalicelib.protocol.errors import PropertyConstraintViolation

_ENERGY = "Energy.Active.Import.Register"  # the measurand when none is given (OCPP 1.6)
_POWER = "Power.Active.Import"
_SOC = "SoC"
_SCALE = {"Wh": 1.0, "kWh": 1000.0, "W": 1.0, "kW": 1000.0, "Percent": 1.0}


def timestamp(text: str) -> datetime:
    try:
        return clock.parse(text)
    except ValueError:
        raise PropertyConstraintViolation(details={"cause": f"not an RFC 3339 date-time: {text[:40]}"}) from None


def read(sampled_values: list[dict]) -> dict:
    """{'energy_wh', 'power_w', 'soc', 'begin'}: totals preferred over per-phase values."""
    out: dict = {"energy_wh": None, "power_w": None, "soc": None, "begin": False}
    phases: dict[str, float] = {}
    for sample in sampled_values:
        if sample.get("format") == "SignedData":
            continue
        measurand = sample.get("measurand", _ENERGY)
        value = _number(sample["value"])
        scaled = value * _SCALE.get(sample.get("unit", "Wh"), 1.0)
        phase = sample.get("phase")
        if measurand == _ENERGY:
            if phase is None:
                out["energy_wh"] = scaled
                out["begin"] = sample.get("context") == "Transaction.Begin"
        elif measurand == _POWER:
            if phase is None:
                out["power_w"] = scaled
            elif not phase.startswith("N"):
                phases[phase] = phases.get(phase, 0.0) + scaled
        elif measurand == _SOC:
            out["soc"] = value
    if out["power_w"] is None and phases:
        out["power_w"] = sum(phases.values())
    return out


def _number(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise PropertyConstraintViolation(details={"cause": f"sampled value is not a number: {str(text)[:40]}"}) from None
