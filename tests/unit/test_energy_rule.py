"""The energy rule (ADR 0008): impossible readings are kept and flagged, never counted; a session always closes
(app.py's handlers on the in-memory demo)."""


import pytest

from chalicelib.ports.aggregates import Scope
from chalicelib.ports.estate import StationEdit
from chalicelib.ports.registry import store
from tests.unit.ocpp_helpers import result_of

_world = None


@pytest.fixture(autouse=True)
def _charging(world):
    global _world
    _world = world
    yield
    _world = None


def charger(station="EVI00000013"):
    return _world.connect(station)


def session(tx):
    return store().records.session(tx)


def samples(tx, station="EVI00000013"):
    return store().records.samples_of("ACME", station, tx)


def start(c, at="2026-11-21T10:00:00Z", meter=1_000_000):
    payload = {"connectorId": 1, "idTag": "12345678", "meterStart": meter, "timestamp": at}
    return result_of("StartTransaction", c.call("StartTransaction", payload))["transactionId"]


def meter(c, tx, at, value):
    sample = {"value": str(value), "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
    return c.call("MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": [{"timestamp": at, "sampledValue": [sample]}]})


def stop(c, tx, meter_stop, at="2026-11-21T11:00:00Z"):
    return result_of("StopTransaction", c.call("StopTransaction", {"transactionId": tx, "meterStop": meter_stop, "timestamp": at}))


def test_an_impossible_sample_is_stored_flagged_and_not_counted():
    # Given a session started at 1,000,000 Wh
    c = charger()
    tx = start(c)
    # When one sample 10 minutes later says 99,999,999 Wh (600 MWh/h), then a possible one follows
    assert result_of("MeterValues", meter(c, tx, "2026-11-21T10:10:00Z", 99_999_999)) == {}
    meter(c, tx, "2026-11-21T10:20:00Z", 1_005_000)
    # Then only the possible one counts, the impossible one is kept and marked, and the session flagged
    item = session(tx)
    assert item.last_register_wh - item.meter_start_wh == 5_000
    assert "implausible_sample" in item.flags
    marked = {s.energy_wh: s.implausible for s in samples(tx)}
    assert marked == {99_999_999: True, 1_005_000: False}


def test_absurd_registers_never_reach_the_session_or_the_dashboard_and_the_session_still_stops():
    c = charger()
    tx = start(c)
    for i, value in enumerate(["1e15", "1e20", "1e308"]):
        assert meter(c, tx, f"2026-11-21T10:1{i}:00Z", value)[0] == 3
    stop(c, tx, 1_007_000)
    item = session(tx)
    assert (item.state, item.energy_wh) == ("Completed", 7_000)
    [day] = store().aggregates.day_totals(Scope.station("ACME", "EVI00000013"), "2026-11-21", "2026-11-21")
    assert day.energy_wh == 7_000


def test_values_that_are_no_numbers_are_refused_and_store_nothing():
    c = charger()
    tx = start(c)
    for value in ("nan", "inf", "-inf", "12,5", "-1"):
        reply = meter(c, tx, "2026-11-21T10:10:00Z", value)
        assert reply[0] == 4 and reply[2] == "PropertyConstraintViolation", reply
    assert samples(tx) == []


def test_a_start_from_a_broken_clock_gets_our_time_and_stops_normally():
    # Given a charger whose clock says 9999-12-31
    c = charger()
    tx = start(c, at="9999-12-31T23:59:59Z")
    again = start(c, at="9999-12-31T23:59:59Z")
    assert again == tx  # the retry still finds its transaction
    # When it stops, its clock still broken
    stop(c, tx, 1_000_500, at="9999-12-31T23:59:59Z")
    # Then the session closed with our times, flagged
    item = session(tx)
    assert item.state == "Completed" and item.started_at.year < 9999 and "clock_implausible" in item.flags


def test_meter_stop_wins_when_possible_and_is_ignored_when_not():
    c = charger()
    low = start(c)
    meter(c, low, "2026-11-21T10:30:00Z", 1_006_000)
    stop(c, low, 1_005_000)  # below the last sample: the charger's final reading wins, flagged
    item = session(low)
    assert item.energy_wh == 5_000 and "meter_stop_below_samples" in item.flags
    c14 = charger("EVI00000014")
    high = start(c14)
    meter(c14, high, "2026-11-21T10:30:00Z", 1_004_000)
    stop(c14, high, 2_000_000_000)  # 2 GWh in an hour: impossible, the last counted reading is final
    item = session(high)
    assert item.energy_wh == 4_000 and "meter_stop_implausible" in item.flags


def test_configured_socket_power_tightens_the_bound():
    # Given EVI00000015's point 1 configured with a 22 kW socket, connected after the change
    store().estate.edit_station("ACME", "EVI00000015", StationEdit(points=[{"point": 1, "sockets": [{"type": "Type 2", "max_kw": 22}]}]))
    c = charger("EVI00000015")
    tx = start(c)
    # When it reports 60 kWh after 30 minutes (120 kW), then 10 kWh after an hour
    meter(c, tx, "2026-11-21T10:30:00Z", 1_060_000)
    meter(c, tx, "2026-11-21T11:00:00Z", 1_010_000)
    # Then the 22 kW bound refused the first and took the second
    item = session(tx)
    assert item.last_register_wh == 1_010_000 and "implausible_sample" in item.flags


def test_an_empty_id_tag_is_invalid_not_an_internal_error():
    c = charger()
    assert result_of("Authorize", c.call("Authorize", {"idTag": ""})) == {"idTagInfo": {"status": "Invalid"}}
    reply = c.call("StartTransaction", {"connectorId": 1, "idTag": "", "meterStart": 0, "timestamp": "2026-11-21T10:00:00Z"})
    assert result_of("StartTransaction", reply)["idTagInfo"]["status"] == "Invalid"


def test_another_stations_meter_values_change_nothing_and_are_logged(caplog):
    # Given ACME's session on EVI00000013 and a charger of the same organization on EVI00000014
    tx = start(charger())
    other = charger("EVI00000014")
    before = session(tx)
    # When the other station sends meter values naming that transaction
    with caplog.at_level("WARNING"):
        assert result_of("MeterValues", meter(other, tx, "2026-11-21T10:10:00Z", 1_150_000)) == {}
    # Then nothing changed, nothing was stored for it, and a security event was logged
    assert session(tx) == before
    assert samples(tx, "EVI00000014") == []
    events = [r for r in caplog.records if r.getMessage() == "security event"]
    assert [(r.security_event, r.station_id, r.transaction_id) for r in events] == [("foreign_transaction", "EVI00000014", tx)]
