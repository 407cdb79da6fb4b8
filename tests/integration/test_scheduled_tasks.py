"""A scheduled max-current task through the local stack: created over REST, fired by the minute tick, received
by a real connected charger as a ChargePointMaxProfile, and its run Done once the charger's answer is in."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from chalicelib import clock
from tests.integration.chargers import call, charger
from tests.integration.test_commands import Rest  # an operator's REST session on the stack


async def _until(check, seconds: float = 10.0):
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not within time")


def _profiles(cp) -> list[dict]:
    return [request for action, request in cp.received if action == "SetChargingProfile"]


async def test_a_task_due_within_a_minute_limits_the_connected_charger(stack, monkeypatch):
    admin = Rest(stack.http_url, "acme-admin", stack.credentials["acme-admin"])
    real_now = clock.now
    async with charger(f"{stack.ws_url}/EVI00000017", "EVI00000017") as (cp, _):
        await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto"))
        soon = real_now() + timedelta(minutes=1)
        body = {"name": "Evening limit", "type": "max_current", "key": {"station_id": "EVI00000017"},
                "value": {"amperes": 10}, "active": True,
                "schedule": {"kind": "daily", "hour": soon.hour, "minute": soon.minute, "time_zone": "UTC"}}
        status, task = await asyncio.to_thread(admin.request, "POST", "/api/v1/scheduled-tasks", body)
        assert status == 201, task
        # The minute comes (the clock moved on rather than waiting), and the tick fires.
        monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(minutes=1))
        await asyncio.to_thread(stack.scheduler.fire)
        await _until(lambda: _profiles(cp))
        [request] = _profiles(cp)
        profile = request["cs_charging_profiles"]
        assert request["connector_id"] == 0
        assert (profile["charging_profile_purpose"], profile["stack_level"]) == ("ChargePointMaxProfile", 0)
        assert profile["charging_schedule"]["charging_schedule_period"] == [{"start_period": 0, "limit": 10}]
        # The next tick reads the charger's answer into the run.
        monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(minutes=2, seconds=5))
        await asyncio.to_thread(stack.scheduler.fire)
        status, runs = await asyncio.to_thread(admin.request, "GET", f"/api/v1/scheduled-tasks/{task['task_id']}/runs")
        assert status == 200
        [run] = runs["items"]
        assert (run["outcome"], run["detail"]) == ("Done", "SetChargingProfile: the charging station answered Accepted.")
        assert len(_profiles(cp)) == 1  # once, however many ticks
