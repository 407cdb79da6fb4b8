"""StartTransaction, MeterValues and StopTransaction: idempotent, energy counted once.

The rules run on the in-memory demo (`world`); the tests that read what DynamoDB keeps beyond the
records port (power and SoC on the transaction item, the stop reason, parked stops) stay on moto."""

import json

import pytest

from chalicelib.ports.registry import store
from chalicelib.storage.models import ParkedStopItem, StationDayItem, TransactionItem
from tests.support import LambdaCharger
from tests.unit.ocpp_helpers import result_of

PK = "ACME#EVI00000013"
_world = None


@pytest.fixture
def world_charging(world):
    global _world
    _world = world
    yield
    _world = None


def charger(station_id="EVI00000013"):
    c = _world.charger(station_id) if _world is not None else LambdaCharger(station_id)
    assert c.connect()["statusCode"] == 200
    return c


def samples(tx):
    return store().records.samples_of("ACME", "EVI00000013", tx)


def start(c, **overrides):
    payload = {"connectorId": 1, "idTag": "12345678", "meterStart": 1_000_000, "timestamp": "2026-11-21T10:00:00Z"}
    payload.update(overrides)
    return result_of("StartTransaction", c.call("StartTransaction", payload))


def meter(c, tx, at, value, unit="Wh", context="Sample.Periodic"):
    sample = {"value": str(value), "unit": unit, "context": context, "measurand": "Energy.Active.Import.Register"}
    return c.call("MeterValues", {"connectorId": 1, "transactionId": tx,
                                  "meterValue": [{"timestamp": at, "sampledValue": [sample]}]})


def energy(tx):
    session = store().records.session(tx)
    return session.last_register_wh - session.meter_start_wh


def test_start_ids_come_from_a_counter_and_a_replay_gets_the_same_id(world_charging):
    c = charger()
    first = start(c)
    again = start(c)
    other = start(c, connectorId=2)
    assert first["transactionId"] == again["transactionId"]
    assert other["transactionId"] == first["transactionId"] + 1
    assert first["idTagInfo"]["status"] == "Accepted"


def test_start_with_an_unknown_tag_still_gets_an_id(world_charging):
    answer = start(charger(), idTag="UNKNOWN1")
    assert answer["transactionId"] > 0 and answer["idTagInfo"]["status"] == "Invalid"


def test_meter_values_in_wh_and_kwh_and_replays(world_charging):
    c = charger()
    tx = start(c)["transactionId"]
    assert result_of("MeterValues", meter(c, tx, "2026-11-21T10:10:00Z", 1_002_000)) == {}
    assert energy(tx) == 2000
    meter(c, tx, "2026-11-21T10:20:00Z", "1004.5", unit="kWh")
    assert energy(tx) == 4500
    meter(c, tx, "2026-11-21T10:20:00Z", "1004.5", unit="kWh")  # replay
    meter(c, tx, "2026-11-21T10:10:00Z", 1_002_000)  # late replay of an older frame
    assert energy(tx) == 4500
    assert len(samples(tx)) == 2
    assert all(s.expires is not None for s in samples(tx))


def test_transaction_begin_of_zero_is_not_the_baseline(world_charging):
    c = charger()
    tx = start(c)["transactionId"]
    meter(c, tx, "2026-11-21T10:00:00Z", 0, context="Transaction.Begin")
    meter(c, tx, "2026-11-21T10:30:00Z", 1_003_000)
    assert energy(tx) == 3000


def test_power_and_soc_are_kept(demo):
    c = charger()
    tx = start(c)["transactionId"]
    c.frame("meter_values", TXID=tx)
    item = TransactionItem.get(tx)
    assert (item.last_register_wh, item.power_w, item.soc) == (1_002_500, 11_000, 54)


def test_stop_closes_once_and_counts_statistics_once(demo):
    c = charger()
    tx = start(c)["transactionId"]
    first = result_of("StopTransaction", c.frame("stop_transaction", TXID=tx))
    replay = result_of("StopTransaction", c.frame("stop_transaction", TXID=tx))
    assert first == replay and first["idTagInfo"]["status"] == "Accepted"
    item = TransactionItem.get(tx)
    assert (item.state, item.energy_wh, item.stop_reason) == ("Completed", 7510, "Local")
    day = StationDayItem.get(PK, "DAY#2026-11-21")
    assert (day.sessions, day.energy_wh) == (1, 7510)


def test_meter_values_after_stop_change_nothing(world_charging):
    c = charger()
    tx = start(c)["transactionId"]
    c.frame("stop_transaction", TXID=tx)
    meter(c, tx, "2026-11-21T12:00:00Z", 1_009_000)
    assert store().records.session(tx).energy_wh == 7510


def test_stop_with_transaction_data(world_charging):
    c = charger()
    tx = start(c)["transactionId"]
    c.call("StopTransaction", {"transactionId": tx, "meterStop": 1_001_000, "timestamp": "2026-11-21T10:30:00Z",
                               "transactionData": [{"timestamp": "2026-11-21T10:15:00Z",
                                                    "sampledValue": [{"value": "1000500"}]}]})
    assert store().records.session(tx).energy_wh == 1000
    assert len(samples(tx)) == 1


def test_unknown_stop_is_answered_and_parked(demo):
    c = charger()
    reply = c.call("StopTransaction", {"transactionId": 999999, "meterStop": 5, "timestamp": "2026-11-21T10:00:00Z"})
    assert result_of("StopTransaction", reply) == {}
    c.call("StopTransaction", {"transactionId": 999999, "meterStop": 5, "timestamp": "2026-11-21T10:00:00Z"})
    parked = list(ParkedStopItem.query(PK, ParkedStopItem.sk.startswith("PS#")))
    assert len(parked) == 1 and json.loads(parked[0].payload)["meterStop"] == 5


def test_another_stations_transaction_cannot_be_stopped(world_charging):
    c = charger()
    tx = start(c)["transactionId"]
    other = charger("EVI00000014")
    other.call("StopTransaction", {"transactionId": tx, "meterStop": 9_999_999, "timestamp": "2026-11-21T11:00:00Z"})
    assert store().records.session(tx).state == "Active"


def test_bad_timestamp_is_a_property_violation(world_charging):
    reply = charger().call("StartTransaction", {"connectorId": 1, "idTag": "12345678", "meterStart": 0,
                                                "timestamp": "yesterday"})
    assert reply[0] == 4 and reply[2] == "PropertyConstraintViolation"
