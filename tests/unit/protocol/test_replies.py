"""Answers to our calls: the router hands every CALLRESULT and CALLERROR to protocol/replies.py, which
completes the pending call's record (in-memory store) and runs the action module's answer hook."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from chalicelib.domain import commands, connections, identity
from chalicelib.memstore import memory_store
from chalicelib.ports.registry import using
from chalicelib.ports.stations import Station
from chalicelib.protocol import replies
from chalicelib.protocol.context import StationContext
from chalicelib.protocol.router import handle_frame
from chalicelib.protocol.v16.outbound import trigger_message

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CTX = StationContext("ACME", "EVI00000013", "c1")


@pytest.fixture
def store():
    with using(memory_store()) as installed:
        installed.stations.add(Station("ACME", "EVI00000013"))
        connections._CACHE.clear()
        assert connections.connected(identity.StationIdentity("ACME", "EVI00000013"), "c1", NOW)
        yield installed
        connections._CACHE.clear()


def answer(text: str):
    return handle_frame(CTX, text, {})


def logged(caplog, message: str) -> list[dict]:
    keys = ("station_id", "message_id", "kind", "action", "error", "state")
    return [{k: getattr(r, k) for k in keys if hasattr(r, k)} for r in caplog.records if r.getMessage() == message]


def test_a_callresult_completes_the_call_with_the_chargers_payload(store):
    sent = commands.send("ACME", "EVI00000013", "Reset", {"type": "Hard"})
    assert answer(f'[3,"{sent.command_id}",{{"status":"Rejected"}}]') is None  # nothing is sent back
    done = commands.get("ACME", "EVI00000013", sent.command_id)
    assert (done.state, done.response, done.error) == ("Answered", {"status": "Rejected"}, None)
    assert done.completed_at is not None and commands.succeeded(done) is False


def test_a_callerror_fails_the_call_with_its_code_and_description(store, caplog):
    sent = commands.send("ACME", "EVI00000013", "TriggerMessage", {"requestedMessage": "Heartbeat"})
    with caplog.at_level(logging.INFO, logger="csms"):
        answer(f'[4,"{sent.command_id}","NotSupported","TriggerMessage off",{{"why":"firmware"}}]')
    done = commands.get("ACME", "EVI00000013", sent.command_id)
    assert (done.state, done.error, done.response) == ("Failed", "NotSupported: TriggerMessage off", None)
    assert logged(caplog, "call refused by charger") == [
        {"station_id": "EVI00000013", "message_id": sent.command_id, "action": "TriggerMessage",
         "error": "NotSupported: TriggerMessage off"}
    ]


@pytest.mark.parametrize(
    ("action", "payload", "body", "reason"),
    [
        ("Reset", {"type": "Soft"}, '{"status":"Maybe"}', "Invalid answer: status: 'Maybe' is not one of ['Accepted', 'Rejected']"),
        ("Reset", {"type": "Soft"}, '{}', "Invalid answer: payload: 'status' is a required property"),
        ("Reset", {"type": "Soft"}, '"Accepted"', "Invalid answer: payload: not a JSON object"),
        # through the action's own module (outbound/trigger_message.py)
        ("TriggerMessage", {"requestedMessage": "Heartbeat"}, '{"status":"Sure"}',
         "Invalid answer: status: 'Sure' is not one of ['Accepted', 'Rejected', 'NotImplemented']"),
    ],
)
def test_an_answer_breaking_the_response_schema_fails_the_call_with_the_reason(store, action, payload, body, reason):
    sent = commands.send("ACME", "EVI00000013", action, payload)
    answer(f'[3,"{sent.command_id}",{body}]')
    done = commands.get("ACME", "EVI00000013", sent.command_id)
    assert (done.state, done.error, done.response) == ("Failed", reason, None)


def test_an_answer_to_no_call_of_ours_is_logged_and_ignored(store, caplog):
    with caplog.at_level(logging.INFO, logger="csms"):
        assert answer('[3,"not-ours",{"status":"Accepted"}]') is None
    assert logged(caplog, "answer to no call of ours ignored") == [
        {"station_id": "EVI00000013", "message_id": "not-ours", "kind": "CALLRESULT"}
    ]
    assert commands.history("ACME", "EVI00000013").items == []


def test_an_answer_after_the_time_out_changes_nothing(store, caplog):
    sent = commands.send("ACME", "EVI00000013", "ClearCache", {}, timeout_s=1)
    (due,) = commands.overdue(sent.deadline_at.replace(year=2100))
    commands.time_out(due)
    with caplog.at_level(logging.INFO, logger="csms"):
        answer(f'[3,"{sent.command_id}",{{"status":"Accepted"}}]')
    assert commands.get("ACME", "EVI00000013", sent.command_id).state == "TimedOut"
    assert logged(caplog, "late answer ignored")[0]["state"] == "TimedOut"


def test_the_action_modules_hook_gets_the_completed_record_and_the_typed_answer(store, monkeypatch):
    seen = []
    monkeypatch.setattr(trigger_message, "on_answered", lambda c, a: seen.append((c.state, a.status)), raising=False)
    sent = commands.send("ACME", "EVI00000013", "TriggerMessage", {"requestedMessage": "Heartbeat"})
    answer(f'[3,"{sent.command_id}",{{"status":"Accepted"}}]')
    assert [(state, status.value) for state, status in seen] == [("Answered", "Accepted")]


def test_a_failing_hook_is_logged_and_the_record_stays_answered(store, monkeypatch, caplog):
    def broken(command, answer):
        raise RuntimeError("boom")

    monkeypatch.setattr(trigger_message, "on_answered", broken, raising=False)
    sent = commands.send("ACME", "EVI00000013", "TriggerMessage", {"requestedMessage": "Heartbeat"})
    with caplog.at_level(logging.INFO, logger="csms"):
        answer(f'[3,"{sent.command_id}",{{"status":"Accepted"}}]')
    assert commands.get("ACME", "EVI00000013", sent.command_id).state == "Answered"
    assert logged(caplog, "answer hook failed") == [
        {"station_id": "EVI00000013", "message_id": sent.command_id, "action": "TriggerMessage"}
    ]


def test_outbound_modules_are_found_by_the_snake_case_action_name():
    assert replies.outbound_module("TriggerMessage") is trigger_message
    assert replies.outbound_module("ClearCache") is None
    assert replies.outbound_module("../etc") is None
