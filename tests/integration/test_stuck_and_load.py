"""Stuck sessions and load management through the local stack, with real chargers that answer our calls."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from chalicelib.domain import stuck
from chalicelib.storage.models import ChargingGroupItem, TransactionItem
from tests.integration.chargers import call, charger
from tests.integration.test_commands import Rest  # an operator's REST session on the stack


def _admin(stack) -> Rest:
    return Rest(stack.http_url, "acme-admin", stack.credentials["acme-admin"])


def _triggers(cp) -> list[tuple[str, int | None]]:
    return [(r["requested_message"], r.get("connector_id")) for action, r in cp.received if action == "TriggerMessage"]


async def _until(check, seconds: float = 10.0):
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not within time")


async def test_a_silent_session_is_probed_then_soft_stopped_and_its_late_stop_counts_nothing(stack, monkeypatch):
    # Silent for 30 minutes -> probed; nothing back within a second -> soft-stopped (time injected).
    monkeypatch.setattr(stuck.Policy, "configured", classmethod(lambda cls: cls(timedelta(minutes=30), timedelta(seconds=1))))
    async with charger(f"{stack.ws_url}/EVI00000016", "EVI00000016") as (cp, _):
        await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto"))
        start = await cp.call(call.StartTransaction(connector_id=1, id_tag="12345678", meter_start=5_000_000,
                                                    timestamp="2026-11-21T08:00:00Z"))
        tx = start.transaction_id
        await cp.call(call.MeterValues(connector_id=1, transaction_id=tx, meter_value=[
            {"timestamp": "2026-11-21T08:30:00Z",
             "sampledValue": [{"value": "5004.0", "unit": "kWh", "measurand": "Energy.Active.Import.Register"}]}]))
        await asyncio.to_thread(stack.scheduler.fire)  # the minute tick: silent for days -> probed
        await _until(lambda: len(_triggers(cp)) == 2)
        assert sorted(_triggers(cp)) == [("MeterValues", 1), ("StatusNotification", 1)]
        await asyncio.sleep(1.2)  # the charger accepted, and sent nothing
        await asyncio.to_thread(stack.scheduler.fire)  # -> soft-stopped
        item = TransactionItem.get(tx)
        assert (item.state, item.energy_wh, item.last_register_wh) == ("Completed", 4000, 5_004_000)
        assert "soft_stopped" in item.flags
        status, listed = _admin(stack).request("GET", "/api/v1/stations/EVI00000016/stuck-sessions")
        assert status == 200
        [record] = listed["items"]
        assert (record["transaction_id"], record["state"]) == (tx, "SoftStopped")
        assert [s["kind"] for s in record["steps"]] == ["probed", "answered", "answered", "soft_stopped"]
        assert {s["detail"]["status"] for s in record["steps"][1:3]} == {"Accepted"}
        # The charger wakes up and sends its own stop, with more energy than was counted: nothing changes.
        stop = await cp.call(call.StopTransaction(meter_stop=5_009_000, timestamp="2026-11-21T10:00:00Z",
                                                  transaction_id=tx, reason="Local"))
        assert stop is not None
    item = TransactionItem.get(tx)
    assert (item.state, item.energy_wh) == ("Completed", 4000)
    status, listed = _admin(stack).request("GET", "/api/v1/stuck-sessions")
    late = [r for r in listed["items"] if r["transaction_id"] == tx][0]["steps"][-1]
    assert (late["kind"], late["detail"]) == ("late_stop", {"meter_stop_wh": 5_009_000, "not_counted_wh": 5000.0})


def _latest(cp) -> dict[int, float]:
    """connector id -> the limit of the last profile the charger received for it."""
    latest = {}
    for profile in (r for action, r in cp.received if action == "SetChargingProfile"):
        periods = profile["cs_charging_profiles"]["charging_schedule"]["charging_schedule_period"]
        latest[profile["connector_id"]] = float(periods[0]["limit"])  # the library reads it as a Decimal
    return latest


async def test_two_sessions_in_a_limited_group_share_it_and_a_third_start_reshares(stack):
    pine = next(g for g in ChargingGroupItem.query("ACME") if g.name == "ACME Pine Mall")
    status, body = _admin(stack).request("PUT", f"/api/v1/groups/{pine.group_id}/load-limit", {"limit_a": 32, "phases": 3})
    assert status == 200, body
    async with charger(f"{stack.ws_url}/EVI00000013", "EVI00000013") as (one, _), \
            charger(f"{stack.ws_url}/EVI00000014", "EVI00000014") as (two, _):
        for cp in (one, two):
            await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto"))
        await one.call(call.StartTransaction(connector_id=1, id_tag="12345678", meter_start=0, timestamp="2026-11-26T06:00:00Z"))
        await _until(lambda: _latest(one) == {1: 32.0})
        await two.call(call.StartTransaction(connector_id=1, id_tag="12345678", meter_start=0, timestamp="2026-11-26T06:01:00Z"))
        await _until(lambda: _latest(one) == {1: 16.0} and _latest(two) == {1: 16.0})
        profile = [r for action, r in two.received if action == "SetChargingProfile"][-1]["cs_charging_profiles"]
        assert (profile["charging_profile_purpose"], profile["charging_schedule"]["charging_rate_unit"]) == ("TxProfile", "A")
        await one.call(call.StartTransaction(connector_id=2, id_tag="12345678", meter_start=0, timestamp="2026-11-26T06:02:00Z"))
        await _until(lambda: _latest(one) == {1: 10.6, 2: 10.6} and _latest(two) == {1: 10.6})
