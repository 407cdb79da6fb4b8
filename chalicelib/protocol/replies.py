"""Answers to our calls: every CALLRESULT and CALLERROR a charger sends arrives here, and only here.

The pending call is found by station and message id (its record, in whatever container sent it),
the answer validated with the action's 1.6 response schema (through its module under
protocol/v16/outbound/ when there is one), and the record completed. Then the module's
`on_answered(command, answer)` hook, if it has one, does the action's follow-up work.
"""

from __future__ import annotations

import re
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from chalicelib.domain import commands
from chalicelib.observability import logger
from chalicelib.ports.calls import PENDING, Command
from chalicelib.protocol import frames
from chalicelib.protocol.context import StationContext
from chalicelib.protocol.errors import OcppError
from chalicelib.protocol.v16.outbound.payloads import InvalidAnswer
from chalicelib.protocol.validation import validate

OUTBOUND = "chalicelib.protocol.v16.outbound"


def received(ctx: StationContext, frame: frames.Frame) -> None:
    """A charger answered one of our calls (frame.kind is CALL_RESULT or CALL_ERROR)."""
    where = {"station_id": ctx.station_id, "message_id": frame.message_id}
    command = commands.find(ctx.org_id, ctx.station_id, frame.message_id)
    if command is None:
        logger.warning("answer to no call of ours ignored", extra={**where, "kind": _kind(frame)})
        return
    if command.state != PENDING:
        logger.info("late answer ignored", extra={**where, "state": command.state, "kind": _kind(frame)})
        return
    if frame.kind == frames.CALL_ERROR:
        reason = f"{frame.error_code}: {frame.error_description}".rstrip(": ")
        logger.info("call refused by charger", extra={**where, "action": command.action, "error": reason,
                                                      "error_details": frame.payload})
        after_failure(commands.failed(command, reason))
        return
    _result(command, frame.payload, where)


def _result(command: Command, payload: Any, where: dict) -> None:
    module = outbound_module(command.action)
    try:
        answer = _read(command.action, payload, module)
    except InvalidAnswer as exc:
        logger.warning("invalid answer", extra={**where, "action": command.action, "error": str(exc)})
        after_failure(commands.failed(command, _reason(exc)))
        return
    completed = commands.answered(command, payload)
    if completed is None:
        return
    logger.info("call answered", extra={**where, "action": command.action, "response": payload})
    hook = getattr(module, "on_answered", None)
    if hook is None:
        return
    try:
        hook(completed, answer)
    except Exception:  # noqa: BLE001 - the record is complete; a failing follow-up is logged, not re-raised
        logger.exception("answer hook failed", extra={**where, "action": command.action})


def after_failure(command: Command | None) -> None:
    """A call that ended Failed or TimedOut: its module's `on_failed(command)` hook, if any (e.g. a template
    change that will never be answered settles as refused). None: someone else closed it first."""
    if command is None:
        return
    hook = getattr(outbound_module(command.action), "on_failed", None)
    if hook is None:
        return
    try:
        hook(command)
    except Exception:  # noqa: BLE001 - the record is complete; a failing follow-up is logged, not re-raised
        logger.exception("failure hook failed", extra={"station_id": command.station_id, "action": command.action})


def _read(action: str, payload: Any, module: ModuleType | None) -> Any:
    """The answer as its module's typed value (or the payload); InvalidAnswer when it breaks the schema."""
    if not isinstance(payload, dict):
        raise InvalidAnswer(action, OcppError("answer payload is not an object", {"field": "payload", "cause": "not a JSON object"}))
    if module is not None and hasattr(module, "answer"):
        try:
            return module.answer(payload)
        except InvalidAnswer:
            raise
        except (ValueError, TypeError) as exc:
            raise InvalidAnswer(action, OcppError("answer not understood", {"cause": str(exc)[:200]})) from None
    try:
        validate(action, payload, response=True)
    except OcppError as exc:
        raise InvalidAnswer(action, exc) from None
    return payload


def _reason(exc: InvalidAnswer) -> str:
    details = exc.error.details if isinstance(exc.error.details, dict) else {}
    if "field" in details:
        return f"Invalid answer: {details['field']}: {details.get('cause', exc.error.code)}"
    return f"Invalid answer: {details.get('cause') or exc.error.description}"


def outbound_module(action: str) -> ModuleType | None:
    """protocol/v16/outbound/<snake_action>.py, or None for an action without one."""
    name = f"{OUTBOUND}.{re.sub(r'(?<!^)(?=[A-Z])', '_', action).lower()}"
    if not re.fullmatch(r"[A-Za-z]+", action) or find_spec(name) is None:
        return None
    return import_module(name)


def _kind(frame: frames.Frame) -> str:
    return "CALLRESULT" if frame.kind == frames.CALL_RESULT else "CALLERROR"
