"""Route one inbound frame to its action handler and produce the frame to send back."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib import clock
from chalicelib.observability import logger
from chalicelib.protocol import errors, frames, registration
from chalicelib.protocol.context import StationContext
from chalicelib.protocol.validation import validate

Handler = Callable[[StationContext, dict], dict]

# Actions OCPP 1.6 (with its security extension) defines: known but not routed means NotSupported;
# anything else is NotImplemented (section 4.2.3).
KNOWN_ACTIONS = frozenset(
    "Authorize BootNotification CancelReservation CertificateSigned ChangeAvailability ChangeConfiguration "
    "ClearCache ClearChargingProfile DataTransfer DeleteCertificate DiagnosticsStatusNotification "
    "ExtendedTriggerMessage FirmwareStatusNotification GetCompositeSchedule GetConfiguration GetDiagnostics "
    "GetInstalledCertificateIds GetLocalListVersion GetLog Heartbeat InstallCertificate LogStatusNotification "
    "MeterValues RemoteStartTransaction RemoteStopTransaction ReserveNow Reset SecurityEventNotification "
    "SendLocalList SetChargingProfile SignCertificate SignedFirmwareStatusNotification SignedUpdateFirmware "
    "StartTransaction StatusNotification StopTransaction TriggerMessage UnlockConnector UpdateFirmware".split()
)


def handle_frame(ctx: StationContext, text: str, routes: dict[str, Handler]) -> str | None:
    """Answer a CALL with a CALLRESULT or CALLERROR; CALLRESULT/CALLERROR frames get no answer."""
    try:
        frame = frames.decode(text)
    except frames.FrameError as exc:
        logger.warning("unreadable frame", extra={"error": exc.description})
        return frames.call_error(exc.message_id, exc)
    ctx.message_id = frame.message_id
    ctx.received_at = clock.now()
    if frame.kind != frames.CALL:
        _answer_received(ctx, frame)  # an answer to one of our calls: no answer back
        return None
    handler = routes.get(frame.action)
    if handler is None:
        error = errors.NotSupported() if frame.action in KNOWN_ACTIONS else errors.NotImplementedOcpp()
        return frames.call_error(frame.message_id, error)
    try:
        validate(frame.action, frame.payload)
        registration.check(ctx, frame.action)
        return frames.call_result(frame.message_id, handler(ctx, frame.payload))
    except errors.OcppError as exc:
        logger.info("call refused", extra={"action": frame.action, "code": exc.code, "details": exc.details})
        return frames.call_error(frame.message_id, exc)
    except Exception:
        logger.exception("handler failed", extra={"action": frame.action, "message_id": frame.message_id})
        return frames.call_error(frame.message_id, errors.InternalError())


def _answer_received(ctx: StationContext, frame: frames.Frame) -> None:
    from chalicelib.protocol import replies  # answers to our calls: their modules stay off a charger-only cold start

    try:
        replies.received(ctx, frame)
    except Exception:  # noqa: BLE001 - the call stays Pending and times out; the charger is owed nothing
        logger.exception("answer handling failed", extra={"message_id": frame.message_id})
