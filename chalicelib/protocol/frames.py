"""Decoding and encoding of OCPP-J frames: [2,id,action,payload], [3,id,payload], [4,id,code,desc,details]."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalicelib.protocol.errors import FormationViolation, OcppError

CALL, CALL_RESULT, CALL_ERROR = 2, 3, 4
# OCPP 2.0.1 uses "-1" when the message id of a broken frame cannot be read; 1.6 says nothing.
UNKNOWN_ID = "-1"


@dataclass(frozen=True, slots=True)
class Frame:
    kind: int
    message_id: str
    action: str | None = None
    payload: Any = None
    error_code: str | None = None
    error_description: str | None = None


class FrameError(FormationViolation):
    """A frame that cannot be read; carries whatever message id could be recovered."""

    def __init__(self, description: str, message_id: str = UNKNOWN_ID) -> None:
        super().__init__(description)
        self.message_id = message_id


def decode(text: str) -> Frame:
    try:
        data = json.loads(text)
    except (ValueError, TypeError):
        raise FrameError("Frame is not valid JSON") from None
    except RecursionError:
        raise FrameError("Frame is nested too deeply") from None
    if not isinstance(data, list) or len(data) < 3:
        raise FrameError("Frame is not an OCPP-J array", _id_of(data))
    kind, message_id = data[0], data[1]
    if type(kind) is not int:  # 2.0 or true is not a MessageTypeId, though Python compares them equal
        raise FrameError("MessageTypeId must be an integer", _id_of(data))
    if not isinstance(message_id, str) or not message_id or len(message_id) > 36:
        raise FrameError("UniqueId must be a string of at most 36 characters")
    if kind == CALL and len(data) == 4 and isinstance(data[2], str):
        if not isinstance(data[3], dict):
            raise FrameError("Payload must be a JSON object", message_id)
        return Frame(CALL, message_id, data[2], data[3])
    if kind == CALL_RESULT and len(data) == 3:
        return Frame(CALL_RESULT, message_id, payload=data[2])
    if kind == CALL_ERROR and len(data) == 5:
        return Frame(CALL_ERROR, message_id, payload=data[4], error_code=data[2], error_description=data[3])
    raise FrameError("Unknown MessageTypeId or wrong number of elements", message_id)


def _id_of(data: Any) -> str:
    if isinstance(data, list) and len(data) > 1 and isinstance(data[1], str) and 0 < len(data[1]) <= 36:
        return data[1]
    return UNKNOWN_ID


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def call_result(message_id: str, payload: dict) -> str:
    return _dumps([CALL_RESULT, message_id, payload])


def call_error(message_id: str, error: OcppError) -> str:
    return _dumps([CALL_ERROR, message_id, error.code, error.description, error.details])


def call(message_id: str, action: str, payload: dict) -> str:
    return _dumps([CALL, message_id, action, payload])
