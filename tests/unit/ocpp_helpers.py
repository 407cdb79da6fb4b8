"""Assertions shared by the per-action tests."""

import re

from chalicelib.protocol.validation import validate

RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def result_of(action: str, reply: list) -> dict:
    """The CALLRESULT payload, checked against the action's response schema and for UTC timestamps."""
    assert reply[0] == 3, reply
    validate(action, reply[2], response=True)
    for key in ("currentTime", "expiryDate"):
        for value in _find(reply[2], key):
            assert RFC3339_UTC.match(value), value
    return reply[2]


def _find(obj, key):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key:
                yield v
            else:
                yield from _find(v, key)
