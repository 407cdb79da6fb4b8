"""Sending a firmware or diagnostics call through the pending-call core, and reading how it went."""

from __future__ import annotations

from chalicelib.domain.errors import DomainError
from chalicelib.ports.calls import ANSWERED, OPEN_STATES

COMMAND_FAILED = "Remote command execution failed."
NOT_CONNECTED = "Charging station is not connected."
# How long the charger has to answer the call itself (its work is followed by its notifications).
ANSWER_TIMEOUT_S = 60


class CommandFailed(DomainError):
    """The call could not be delivered or was refused: the manual's text, the detail beside it."""

    status = 409

    def __init__(self, detail: str) -> None:
        super().__init__(f"{COMMAND_FAILED} {detail}".strip())
        self.detail = detail


def send(org_id: str, station_id: str, action: str, payload: dict, operator_id: str | None):
    """The recorded Command (state Pending when it went out; Offline or Failed when it could not)."""
    from chalicelib.domain import commands  # the pending-call core (issue 9 section 1)

    return commands.send(org_id, station_id, action, payload, operator_id=operator_id, timeout_s=ANSWER_TIMEOUT_S)


def get(org_id: str, station_id: str, command_id: str):
    from chalicelib.domain import commands

    return commands.get(org_id, station_id, command_id)


def failure(command) -> str | None:
    """Why the call did not go through (None while it is on its way or was answered)."""
    if command.state in (*OPEN_STATES, ANSWERED):
        return None
    if command.state == "Offline":
        return NOT_CONNECTED
    if command.state == "TimedOut":
        return "The charging station did not answer."
    return command.error or command.state
