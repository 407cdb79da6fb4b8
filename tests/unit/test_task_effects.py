"""What scheduled tasks do (issue 11) on the in-memory demo: station limits (sent, deferred to the next boot,
through a template's key), charging permissions (Authorize and local lists), and following a command."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chalicelib.domain import commands, task_effects
from chalicelib.ports.configuration import ConfigKey, Template
from chalicelib.ports.estate import StationEdit
from chalicelib.ports.registry import store
from chalicelib.protocol.context import StationContext
from chalicelib.protocol.router import handle_frame
from tests.unit.ocpp_helpers import result_of

ORG = "ACME"
STATION = "EVI00000013"
SCROOGE = "scrooge@duckburg.com"


def calls_sent(world, action: str | None = None) -> list[list]:
    frames = [json.loads(text) for _, text in world.store.chargers.sent]
    return [f for f in frames if f[0] == 2 and (action is None or f[2] == action)]


def answer(world, command_id: str, payload: dict | None = None, error: str | None = None) -> None:
    frame = [4, command_id, error, "it broke", {}] if error else [3, command_id, payload]
    assert handle_frame(StationContext(ORG, STATION, "c"), json.dumps(frame), {}) is None


def booted(world, station_id: str = STATION):
    charger = world.connect(station_id)
    assert result_of("BootNotification", charger.frame("boot_notification"))["status"] == "Accepted"
    return charger


def authorize(world, station_id: str = STATION) -> str:
    return result_of("Authorize", world.connect(station_id).call("Authorize", {"idTag": "12345678"}))["idTagInfo"]["status"]


# --- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("amperes", "error"), [
    (16, None), (6, None), (80, None), (12.5, None),
    (5, "Max current must be between 6 and 80 A."),
    (81, "Max current must be between 6 and 80 A."),
    (True, "Max current must be a number of amperes between 6 and 80."),
    ("16", "Max current must be a number of amperes between 6 and 80."),
    (float("nan"), "Max current must be a number of amperes between 6 and 80."),
    (6.25, "Max current is given in steps of 0.1 A."),
])
def test_max_current_is_checked_against_the_range(world, amperes, error):
    assert task_effects.max_current_error(ORG, STATION, amperes) == error


def test_the_range_ends_at_what_the_stations_sockets_take_and_the_station_must_exist(world):
    store().estate.edit_station(ORG, STATION, StationEdit(points=[{"point": 1, "sockets": [{"max_kw": 7.4}]}]))
    assert task_effects.max_current_error(ORG, STATION, 32) is None
    assert task_effects.max_current_error(ORG, STATION, 33) == "Max current must be between 6 and 32 A."
    store().estate.edit_station(ORG, STATION, StationEdit(points=[{"point": 1, "sockets": [{"max_kw": 22}]}]))
    assert task_effects.max_current_error(ORG, STATION, 33) == "Max current must be between 6 and 32 A."
    assert task_effects.max_current_error(ORG, "NOPE", 16) == "Charging station does not exist."
    assert task_effects.apply_max_current(ORG, STATION, 40) == task_effects.Effect("Failed", "Max current must be between 6 and 32 A.")


# --- max current on a connected station ----------------------------------------------------------------
def test_a_limit_goes_out_as_a_charge_point_max_profile_and_its_answer_decides(world):
    booted(world)
    effect = task_effects.apply_max_current(ORG, STATION, 6)
    assert (effect.outcome, effect.detail) == ("Sent", "Station limited to 6 A")
    [call] = calls_sent(world, "SetChargingProfile")
    assert call[1] == effect.command_id
    profile = call[3]["csChargingProfiles"]
    assert call[3]["connectorId"] == 0
    assert profile["chargingProfilePurpose"] == "ChargePointMaxProfile"
    assert profile["chargingSchedule"]["chargingSchedulePeriod"] == [{"startPeriod": 0, "limit": 6}]
    # Not load management's: its TxProfiles use stack level 1 and transaction ids as profile ids.
    assert (profile["stackLevel"], profile["chargingProfileId"]) == (0, 2**31 - 1)
    assert task_effects.command_effect(ORG, STATION, effect.command_id).outcome == "Sent"
    answer(world, effect.command_id, {"status": "Accepted"})
    assert task_effects.command_effect(ORG, STATION, effect.command_id) == task_effects.Effect(
        "Done", "SetChargingProfile: the charging station answered Accepted.", effect.command_id)


@pytest.mark.parametrize(("reply", "error", "detail"), [
    ({"status": "Rejected"}, None, "SetChargingProfile: the charging station answered Rejected."),
    ({"status": "NotSupported"}, None, "SetChargingProfile: the charging station answered NotSupported."),
    (None, "InternalError", "SetChargingProfile Failed: InternalError: it broke"),
])
def test_a_refused_or_failed_limit_is_a_failure_with_the_chargers_reason(world, reply, error, detail):
    booted(world)
    effect = task_effects.apply_max_current(ORG, STATION, 16)
    answer(world, effect.command_id, reply, error)
    followed = task_effects.command_effect(ORG, STATION, effect.command_id)
    assert (followed.outcome, followed.detail) == ("Failed", detail)


def test_a_command_without_answer_fails_as_timed_out_and_an_unknown_one_as_missing(world):
    booted(world)
    effect = task_effects.apply_max_current(ORG, STATION, 16)
    [due] = [d for d in commands.overdue(datetime(2100, 1, 1, tzinfo=UTC)) if d.command_id == effect.command_id]
    commands.time_out(due)
    assert task_effects.command_effect(ORG, STATION, effect.command_id).detail == (
        "SetChargingProfile TimedOut: No answer from the charging station before the deadline.")
    assert task_effects.command_effect(ORG, STATION, "nope").detail == "The command sent to the charging station was not found."


def test_a_template_naming_a_current_limit_key_makes_the_limit_a_configuration_change(world):
    booted(world)  # the boot frame reports its vendor and model
    station = store().estate.get_station(ORG, STATION)
    store().configuration.put_template(Template(ORG, station.vendor, station.model, {}, current_limit_key="MaxCurrent"))
    effect = task_effects.apply_max_current(ORG, STATION, 10)
    assert (effect.outcome, effect.detail) == ("Sent", "MaxCurrent set to 10")
    [call] = calls_sent(world, "ChangeConfiguration")
    assert call[3] == {"key": "MaxCurrent", "value": "10"}
    answer(world, effect.command_id, {"status": "Accepted"})
    assert task_effects.command_effect(ORG, STATION, effect.command_id).outcome == "Done"
    assert store().configuration.key(ORG, STATION, "MaxCurrent").value == "10"


# --- max current on a station that is away ---------------------------------------------------------
def test_an_offline_station_gets_only_the_latest_limit_once_at_its_next_accepted_boot(world):
    first = task_effects.apply_max_current(ORG, STATION, 6)
    second = task_effects.apply_max_current(ORG, STATION, 10)
    assert first.outcome == second.outcome == "Deferred"
    assert second.detail == "Station limited to 10 A: the charging station is offline; the limit is applied when it reconnects."
    assert calls_sent(world, "SetChargingProfile") == []
    booted(world)
    [call] = calls_sent(world, "SetChargingProfile")
    assert call[3]["csChargingProfiles"]["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"] == 10
    booted(world)  # a later boot: nothing is left to send
    assert len(calls_sent(world, "SetChargingProfile")) == 1


def test_a_limit_sent_to_the_connected_station_replaces_one_still_waiting(world):
    assert task_effects.apply_max_current(ORG, STATION, 6).outcome == "Deferred"
    booted(world)
    assert task_effects.apply_max_current(ORG, STATION, 32).outcome == "Sent"
    booted(world)
    limits = [c[3]["csChargingProfiles"]["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"]
              for c in calls_sent(world, "SetChargingProfile")]
    assert limits == [6, 32]


# --- charging permissions --------------------------------------------------------------------------
def test_an_inactive_user_is_blocked_at_once_and_allowed_again_when_active(world):
    assert authorize(world) == "Accepted"
    effect = task_effects.set_charging_user_active(ORG, SCROOGE, False)
    assert effect == task_effects.Effect("Done", "Charging user scrooge@duckburg.com is inactive.")
    assert authorize(world) == "Blocked"
    assert task_effects.set_charging_user_active(ORG, SCROOGE, False).outcome == "Done"  # already: no harm
    assert task_effects.set_charging_user_active(ORG, SCROOGE, True).outcome == "Done"
    assert authorize(world) == "Accepted"
    assert task_effects.set_charging_user_active(ORG, "nobody@x", True) == task_effects.Effect("Failed", "Charging user not found.")


def test_a_user_group_made_inactive_blocks_its_members(world):
    [group] = store().users.user_groups_page(ORG, 10, None, None).items
    effect = task_effects.set_user_group_active(ORG, group.user_group_id, False)
    assert effect == task_effects.Effect("Done", "Charging user group Duckburg is inactive.")
    assert authorize(world) == "Blocked"
    task_effects.set_user_group_active(ORG, group.user_group_id, True)
    assert authorize(world) == "Accepted"
    assert task_effects.set_user_group_active(ORG, "gone", True) == task_effects.Effect("Failed", "Charging user group not found.")


def uses_local_list(station_id: str, value: str = "true") -> None:
    store().configuration.put_keys(ORG, station_id, [ConfigKey("LocalAuthListEnabled", value, reported=True)])


def test_stations_using_a_local_list_get_a_differential_update_queued_when_offline(world):
    booted(world)  # EVI00000013 is connected; EVI00000014 is not; EVI00000015 keeps no local list
    uses_local_list(STATION)
    uses_local_list("EVI00000014")
    uses_local_list("EVI00000015", "false")
    effect = task_effects.set_charging_user_active(ORG, SCROOGE, False)
    assert effect.detail == ("Charging user scrooge@duckburg.com is inactive. Local authorization list updated on "
                             "2 charging station(s): EVI00000013, EVI00000014.")
    [call] = calls_sent(world, "SendLocalList")
    assert call[3]["updateType"] == "Differential"
    assert call[3]["localAuthorizationList"] == [{"idTag": "12345678", "idTagInfo": {"status": "Blocked"}}]
    [queued] = store().calls.queued(ORG, "EVI00000014")
    assert queued.action == "SendLocalList"
    # The group's change reaches the lists the same way, with what Authorize answers now.
    [group] = store().users.user_groups_page(ORG, 10, None, None).items
    task_effects.set_charging_user_active(ORG, SCROOGE, True)
    task_effects.set_user_group_active(ORG, group.user_group_id, False)
    assert calls_sent(world, "SendLocalList")[-1][3]["localAuthorizationList"] == [
        {"idTag": "12345678", "idTagInfo": {"status": "Blocked"}}]
