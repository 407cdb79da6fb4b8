"""A station's $disconnect fails its pending calls at once (they can never be answered), keeps queued ones."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import clock
from chalicelib.domain import commands, departures
from chalicelib.protocol import replies

DISCONNECTED = "The charging station disconnected before answering."


def test_a_disconnect_fails_the_pending_calls_and_keeps_the_queued_ones(world, monkeypatch):
    # Given a call queued while EVI00000013 was away, then the station connected and given two calls
    queued = commands.send("ACME", "EVI00000013", "ClearCache", {}, queue=True)
    charger = world.connect()
    reset = commands.send("ACME", "EVI00000013", "Reset", {"type": "Soft"})
    change = commands.send("ACME", "EVI00000013", "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "300"})
    followed = []
    monkeypatch.setattr(replies, "after_failure", followed.append)
    # When the station disconnects before answering
    charger.disconnect()
    # Then both sent calls failed at once, with the reason, and their follow-up hooks ran
    for sent in (reset, change):
        failed = commands.get("ACME", "EVI00000013", sent.command_id)
        assert (failed.state, failed.error) == ("Failed", DISCONNECTED)
        assert failed.completed_at is not None
    assert sorted(c.command_id for c in followed) == sorted([reset.command_id, change.command_id])
    # And the queued call still waits for the next boot; the time-out job has nothing left to close
    assert commands.get("ACME", "EVI00000013", queued.command_id).state == "Queued"
    assert commands.overdue(clock.now() + timedelta(hours=1)) == []


def test_the_disconnect_of_a_replaced_connection_fails_nothing_of_the_new_one(world):
    # Given the station reconnected (the old connection's $disconnect arrives late) and got a call on the new one
    old = world.connect()
    world.connect()
    sent = commands.send("ACME", "EVI00000013", "ClearCache", {})
    # When the old connection's $disconnect arrives
    old.disconnect()
    # Then the call on the new connection still waits for its answer
    assert commands.get("ACME", "EVI00000013", sent.command_id).state == "Pending"


def test_a_call_sent_after_the_disconnect_moment_is_not_failed(world):
    # Given a call sent on a newer connection a moment after the old one's end (a race of two containers)
    charger = world.connect()
    ended = clock.now()
    later = commands.send("ACME", "EVI00000013", "ClearCache", {})
    assert later.created_at > ended
    # When the station's departure is handled as of that earlier moment
    assert departures.station_left(charger.connection_id, ended) == []
    # Then the later call is left alone
    assert commands.get("ACME", "EVI00000013", later.command_id).state == "Pending"
