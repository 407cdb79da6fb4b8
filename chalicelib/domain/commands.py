"""Remote commands: record a call to a charger, send it over its socket, and follow it to its end (ADR 0013).

The record, not process memory, carries a call's state: the answer arrives in another invocation
(any container) and completes it there; `wait` only re-reads it.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib import clock
from chalicelib.domain.errors import Invalid, NotFound
from chalicelib.observability import COMMAND_TIMED_OUT, count, logger
from chalicelib.ports.calls import (
    ANSWERED,
    FAILED,
    OFFLINE,
    OPEN_STATES,
    PENDING,
    QUEUED,
    TIMED_OUT,
    Command,
    DueCall,
    id_stamp,
)
from chalicelib.ports.chargers import ChargerGone
from chalicelib.ports.paging import Page
from chalicelib.ports.registry import store

# The calls OCPP 1.6 lets a central system send (core and every optional profile).
ACTIONS = frozenset(
    "CancelReservation ChangeAvailability ChangeConfiguration ClearCache ClearChargingProfile DataTransfer "
    "GetCompositeSchedule GetConfiguration GetDiagnostics GetLocalListVersion RemoteStartTransaction "
    "RemoteStopTransaction ReserveNow Reset SendLocalList SetChargingProfile TriggerMessage UnlockConnector "
    "UpdateFirmware".split()
)
# Requests whose schemas the ocpp library reads with Decimal numbers (multipleOf 0.1).
DECIMAL_REQUESTS = frozenset({"SetChargingProfile", "RemoteStartTransaction"})
# Statuses by which a charger says it does (or will do) what it was asked.
ACCEPTING = frozenset({"Accepted", "Unlocked", "Scheduled", "RebootRequired"})
COMMAND_MISSING = "Command not found."
NOT_CONNECTED = "Charging station is not connected."
TIMEOUTS = range(1, 301)
# Polling of `wait`: the first re-read soon (a charger on the same LAN answers in tens of ms), then slower.
POLL_FIRST_S = 0.02
POLL_MAX_S = 0.25
# A REST request waits at most this long: under API Gateway's 29 s integration limit, with room around it.
MAX_WAIT_S = 25


class InvalidCommand(Invalid):
    """The action is not one a CSMS sends, or its payload breaks the OCPP 1.6 request schema."""


def new_command_id(now: datetime) -> str:
    """Unique, at most 36 characters, and sorting by creation time (the history is newest first by id)."""
    return f"{id_stamp(now)}-{uuid.uuid4().hex[:12]}"


def validate(action: str, payload: object) -> None:
    """InvalidCommand with the reason when `payload` is not a valid OCPP 1.6 `action` request."""
    # Imported here: a $disconnect (which fails pending calls) never validates and skips their cost.
    import decimal

    from jsonschema.exceptions import ValidationError
    from ocpp.messages import get_validator

    if action not in ACTIONS:
        raise InvalidCommand(f"{action!r} is not an OCPP 1.6 command a central system sends")
    if not isinstance(payload, dict):
        raise InvalidCommand(f"{action} payload must be a JSON object")
    try:
        if action in DECIMAL_REQUESTS:
            # As the ocpp library does (it caches one validator per schema): see protocol/validation.py.
            checked = json.loads(json.dumps(payload), parse_float=decimal.Decimal)
            get_validator(2, action, "1.6", parse_float=decimal.Decimal).validate(checked)
        else:
            get_validator(2, action, "1.6").validate(payload)
    except ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "payload"
        raise InvalidCommand(f"{action} payload: {where}: {exc.message[:200]}") from None


def send(
    org_id: str,
    station_id: str,
    action: str,
    payload: dict,
    *,
    operator_id: str | None = None,
    queue: bool = False,
    timeout_s: int = 60,
) -> Command:
    """Record the call and send it; Offline at once when the station is not connected (Queued if `queue`)."""
    command = _new(org_id, station_id, action, payload, operator_id, timeout_s)
    connection_id = store().connections.current(org_id, station_id)
    if connection_id is None:
        return _not_connected(command, queue)
    command = replace(command, deadline_at=command.created_at + timedelta(seconds=timeout_s))
    store().calls.add(command)
    return _transmit(command, connection_id, queue)


def not_sent(org_id: str, station_id: str, action: str, payload: dict) -> Command:
    """What `send` records for a station the caller knows is not connected (Offline), checked as `send`
    checks, but not stored: the caller stores many at once (`calls.add_closed`) and logs them."""
    return _offline(_new(org_id, station_id, action, payload, None, 60))


def _new(org_id: str, station_id: str, action: str, payload: dict, operator_id: str | None, timeout_s: int) -> Command:
    validate(action, payload)
    if timeout_s not in TIMEOUTS:
        raise InvalidCommand(f"timeout must be between 1 and 300 seconds, not {timeout_s}")
    now = clock.now()
    return Command(org_id, station_id, new_command_id(now), action, payload, PENDING, now, operator_id=operator_id,
                   timeout_s=timeout_s)


def _offline(command: Command) -> Command:
    return replace(command, state=OFFLINE, error=NOT_CONNECTED, completed_at=command.created_at)


def _not_connected(command: Command, queue: bool) -> Command:
    command = replace(command, state=QUEUED) if queue else _offline(command)
    store().calls.add(command)
    logger.info("command not sent", extra=_log(command))
    return command


def _transmit(command: Command, connection_id: str, requeue: bool) -> Command:
    """Post the CALL of a Pending record; a closed socket makes it Offline, or Queued again if asked."""
    frame = json.dumps([2, command.command_id, command.action, command.payload], separators=(",", ":"))
    try:
        store().chargers.send(connection_id, frame)
    except ChargerGone:
        from chalicelib.domain import connections

        now = clock.now()
        connections.gone(connection_id, now)
        if requeue:
            changed = store().calls.change(*_key(command), (PENDING,), state=QUEUED, deadline_at=None)
        else:
            changed = store().calls.change(*_key(command), (PENDING,), state=OFFLINE, error=NOT_CONNECTED, completed_at=now)
        logger.info("command not sent: connection closed", extra=_log(command))
        return changed or get(*_key(command))
    logger.info("command sent", extra=_log(command))
    return command


def find(org_id: str, station_id: str, command_id: str) -> Command | None:
    if not 0 < len(command_id) <= 36:
        return None  # not an id we make (nor an OCPP message id)
    return store().calls.get(org_id, station_id, command_id)


def get(org_id: str, station_id: str, command_id: str) -> Command:
    found = find(org_id, station_id, command_id)
    if found is None:
        raise NotFound(COMMAND_MISSING)
    return found


def waited(command: Command, wait_s: float) -> Command:
    """`command` after waiting up to `wait_s` seconds (at most MAX_WAIT_S) for the charger's answer; at once
    when it is not open any more or no wait was asked."""
    if wait_s <= 0 or command.state not in OPEN_STATES:
        return command
    return wait(command.org_id, command.station_id, command.command_id, min(wait_s, MAX_WAIT_S))


def wait(org_id: str, station_id: str, command_id: str, seconds: float) -> Command:
    """The record once it left Pending/Queued, or as it is when `seconds` have passed."""
    give_up = _monotonic() + max(0.0, seconds)
    delay = POLL_FIRST_S
    command = get(org_id, station_id, command_id)
    while command.state in OPEN_STATES:
        left = give_up - _monotonic()
        if left <= 0:
            break
        _sleep(min(delay, left))
        delay = min(delay * 1.5, POLL_MAX_S)
        command = get(org_id, station_id, command_id)
    return command


def history(org_id: str, station_id: str, limit: int = 50, cursor: str | None = None) -> Page[Command]:
    """The station's commands, newest first."""
    return store().calls.history(org_id, station_id, limit, cursor)


def succeeded(command: Command) -> bool:
    """Answered, and the charger said it does what it was asked (an answer without a status counts)."""
    if command.state != ANSWERED:
        return False
    status = (command.response or {}).get("status")
    return status is None or status in ACCEPTING


# --- the life of a call after sending: answers (protocol/replies.py), time-outs, the queue ----------


def answered(command: Command, response: dict) -> Command | None:
    """Complete a Pending call with the charger's (valid) answer; None when it was closed meanwhile."""
    return _close(command, ANSWERED, response=response)


def failed(command: Command, reason: str) -> Command | None:
    """Complete a Pending call as Failed (a CALLERROR, an answer breaking the schema)."""
    return _close(command, FAILED, error=reason[:1000])


def _close(command: Command, state: str, **fields) -> Command | None:
    closed = store().calls.change(*_key(command), (PENDING,), state=state, completed_at=clock.now(), **fields)
    if closed is None:
        logger.info("late answer ignored", extra={**_log(command), "state": state})
    return closed


def time_out(due: DueCall) -> Command | None:
    """Close a call past its deadline as TimedOut (None when its answer won the race)."""
    closed = store().calls.change(
        due.org_id, due.station_id, due.command_id, (PENDING,),
        state=TIMED_OUT, error="No answer from the charging station before the deadline.", completed_at=clock.now(),
    )
    if closed is not None:
        count(COMMAND_TIMED_OUT)
        logger.info("command timed out", extra=_log(closed))
    return closed


# A Pending call not yet timed out was sent at most this long ago (the longest time-out, and the tick's lag).
SENT_WITHIN = timedelta(seconds=TIMEOUTS[-1]) + timedelta(minutes=2)
DISCONNECTED = "The charging station disconnected before answering."


def abandon(org_id: str, station_id: str, at: datetime) -> list[Command]:
    """The station's connection ended at `at`: its Pending calls sent before can never be answered (OCPP-J
    message ids live per connection), so they fail now instead of at their time-out. Queued calls stay
    queued; one Query on the station's recent calls (a queued call sent at an old boot still times out)."""
    failed = []
    for call in store().calls.pending_since(org_id, station_id, at - SENT_WITHIN):
        if call.deadline_at is not None and call.deadline_at - timedelta(seconds=call.timeout_s) > at:
            continue  # sent after the disconnect: on a newer connection
        closed = store().calls.change(*_key(call), (PENDING,), state=FAILED, error=DISCONNECTED, completed_at=clock.now())
        if closed is not None:
            logger.info("command failed: station disconnected", extra=_log(closed))
            failed.append(closed)
    return failed


def overdue(now: datetime, limit: int = 100) -> list[DueCall]:
    return store().calls.due(now, limit)


# OCPP 1.6 §4.2: a Pending station takes no transaction-related calls; they wait for an Accepted boot.
HELD_WHILE_PENDING = frozenset({"RemoteStartTransaction", "RemoteStopTransaction"})


def send_queued(org_id: str, station_id: str, connection_id: str, accepted: bool = True) -> list[Command]:
    """Send the station's queued calls, oldest first, each exactly once (the Queued -> Pending change is the
    guard); a station not yet `accepted` gets all but remote starts and stops."""
    sent = []
    for queued in store().calls.queued(org_id, station_id):
        if not accepted and queued.action in HELD_WHILE_PENDING:
            continue
        now = clock.now()
        claimed = store().calls.change(
            *_key(queued), (QUEUED,), state=PENDING, deadline_at=now + timedelta(seconds=queued.timeout_s)
        )
        if claimed is None:
            continue  # another invocation sent it
        sent.append(_transmit(claimed, connection_id, requeue=True))
    return sent


def _key(command: Command | DueCall) -> tuple[str, str, str]:
    return command.org_id, command.station_id, command.command_id


def _log(command: Command) -> dict:
    return {"station_id": command.station_id, "command_id": command.command_id, "action": command.action,
            "state": command.state}


# Injectable for tests (time passes without sleeping).
_monotonic = time.monotonic
_sleep = time.sleep
