"""The frame decoder over any text: a Frame or a FrameError, nothing else; a CALL only for type integer 2."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.protocol import frames
from tests.fuzz import odd_values as odd
from tests.fuzz.settings import fuzz_settings
from tests.fuzz.strategies import ANY_JSON

_type_ids = st.sampled_from([2, 3, 4, 2.0, 3.0, 4.0, "2", True, -2, 2**64, 1e308, None, [2]]) | ANY_JSON
_ids = st.sampled_from(["m1", "", "x" * 36, "x" * 37, 1, None, "-1"]) | st.text(max_size=40)
_actions = st.sampled_from(["Heartbeat", "heartbeat", "", "FooBar", "BootNotification"]) | ANY_JSON
# Arrays shaped like frames, of every length 0..6, with odd members at each position.
_frame_like = st.lists(ANY_JSON, max_size=2).flatmap(
    lambda tail: st.tuples(_type_ids, _ids, _actions, ANY_JSON, ANY_JSON).map(lambda t: [*t[: 3 + len(tail) % 3], *tail])
)
_deep = st.builds(odd.deep, st.sampled_from([10, 999, 1_000, 5_000, 100_000]), st.sampled_from("[{"))
_deep_payload = st.builds(lambda d: f'[2,"m1","DataTransfer",{{"vendorId":"v","data":{d}}}]', _deep)
TEXTS = st.text() | ANY_JSON.map(json.dumps) | _frame_like.map(json.dumps) | _deep | _deep_payload


def _decode(text: str):
    try:
        return frames.decode(text)
    except frames.FrameError as exc:
        assert exc.code == "FormationViolation"
        assert isinstance(exc.message_id, str) and 0 < len(exc.message_id) <= 36
        return None


@fuzz_settings(400)
@given(TEXTS)
def test_decoder_answers_a_frame_or_a_frame_error(text):
    frame = _decode(text)
    if frame is None:
        return
    data = json.loads(text)
    # The MessageTypeId is an integer (OCPP-J 1.6 section 4.1.3): 2.0, "2" and True are not one.
    assert type(data[0]) is int and data[0] == frame.kind, data[0]
    assert isinstance(frame.message_id, str) and 0 < len(frame.message_id) <= 36
    if frame.kind == frames.CALL:
        assert len(data) == 4 and isinstance(frame.action, str) and isinstance(frame.payload, dict)


@fuzz_settings(200)
@given(_frame_like)
def test_a_frame_error_names_the_message_id_it_could_read(data):
    try:
        frames.decode(json.dumps(data))
    except frames.FrameError as exc:
        readable = isinstance(data[1], str) and 0 < len(data[1]) <= 36
        assert exc.message_id == (data[1] if readable else frames.UNKNOWN_ID)


def test_a_deep_frame_is_a_formation_violation():
    text = '[2,"m1","DataTransfer",{"vendorId":"v","data":' + odd.deep(5_000) + "}]"
    try:
        frames.decode(text)
    except frames.FrameError as exc:
        assert exc.message_id in {"m1", frames.UNKNOWN_ID}
    else:
        raise AssertionError("a 5,000-deep payload was decoded")
