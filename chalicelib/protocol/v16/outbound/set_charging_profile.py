"""SetChargingProfile: load management's per-session current limit (ADR 0017), built with the ocpp library's
dataclasses; the charger answers Accepted, Rejected or NotSupported."""

from __future__ import annotations

from ocpp.v16 import call, call_result
from ocpp.v16.datatypes import ChargingProfile, ChargingSchedule, ChargingSchedulePeriod
from ocpp.v16.enums import (
    ChargingProfileKindType,
    ChargingProfilePurposeType,
    ChargingProfileStatus,
    ChargingRateUnitType,
)

from chalicelib.protocol.v16.outbound.payloads import InvalidRequest, from_payload, to_payload

ACTION = "SetChargingProfile"
# Load management's profiles share one stack level, so each new one replaces the last (OCPP 1.6 3.13.2:
# same purpose and stack level); a TxProfile ends with its transaction, leaving nothing behind.
LOAD_SHARE_STACK_LEVEL = 1


def load_share_request(connector_id: int, transaction_id: int, limit_a: float, phases: int) -> dict:
    """A TxProfile capping the session at `limit_a` amperes per phase from now on (0: paused)."""
    if limit_a < 0 or phases not in (1, 2, 3):
        raise InvalidRequest(f"{ACTION} request: limit {limit_a} A on {phases} phases")
    schedule = ChargingSchedule(
        charging_rate_unit=ChargingRateUnitType.amps,
        charging_schedule_period=[ChargingSchedulePeriod(start_period=0, limit=limit_a, number_phases=phases)],
    )
    profile = ChargingProfile(
        charging_profile_id=transaction_id,
        stack_level=LOAD_SHARE_STACK_LEVEL,
        charging_profile_purpose=ChargingProfilePurposeType.tx_profile,
        charging_profile_kind=ChargingProfileKindType.relative,
        charging_schedule=schedule,
        transaction_id=transaction_id,
    )
    return to_payload(ACTION, call.SetChargingProfile(connector_id=connector_id, cs_charging_profiles=profile))


def answer(payload: dict) -> call_result.SetChargingProfile:
    """The charger's answer, its status as ChargingProfileStatus."""
    result = from_payload(ACTION, payload, call_result.SetChargingProfile)
    return call_result.SetChargingProfile(status=ChargingProfileStatus(result.status))


def share_load(org_id: str, station_id: str = "", group_path: str | None = None) -> list:
    """Recompute the load shares around this station (or group) and send each session its profile (never raises)."""
    from chalicelib.domain import load

    def payload_of(a: load.Assignment) -> dict:
        return load_share_request(a.connector_id, a.transaction_id, a.limit_a, a.phases)

    return load.rebalance(org_id, station_id, payload_of, group_path)
