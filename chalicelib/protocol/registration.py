"""Which requests a station may send in its registration status (OCPP 1.6 section 4.2).

Pending: the station SHALL NOT send requests unless told to by a TriggerMessage, so only the messages
a TriggerMessage can ask for pass (besides BootNotification). Rejected: nothing but a new
BootNotification. Anything else is answered with a CALLERROR SecurityError. The status remembered
for the connection is read again before a refusal: an operator may have accepted the station meanwhile.
"""

from __future__ import annotations

from chalicelib.protocol.context import StationContext
from chalicelib.protocol.errors import SecurityError

ALLOWED = {
    "Pending": frozenset({
        "BootNotification", "Heartbeat", "StatusNotification", "MeterValues",
        "FirmwareStatusNotification", "DiagnosticsStatusNotification",
    }),
    "Rejected": frozenset({"BootNotification"}),
}  # fmt: skip


def check(ctx: StationContext, action: str) -> None:
    """Raise SecurityError when the station's registration does not allow this request."""
    if _allowed(ctx.registration, action):
        return
    from chalicelib.domain import connections

    fresh = connections.registration_of(ctx.connection_id) or ctx.registration
    ctx.registration = fresh
    if not _allowed(fresh, action):
        raise SecurityError(f"{action} refused: the charge point's registration is {fresh}; send a BootNotification")


def _allowed(registration: str, action: str) -> bool:
    return registration == "Accepted" or action in ALLOWED.get(registration, ())
