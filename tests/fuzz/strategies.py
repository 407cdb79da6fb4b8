"""Hypothesis strategies for OCPP 1.6 payloads, built from the ocpp library's JSON schemas.

`valid_payloads` draws payloads the request schema accepts, biased toward what the demo seed knows
(connectors 0..3, the demo idTag, small transaction ids, timestamps near now) so handlers get past
their look-ups. `mutated_frames` breaks one thing in such a payload: a field's type or value (huge
numbers, odd decimal and date-time strings), a missing or an extra field, or deep nesting; it draws
the whole frame text, since deep nesting cannot go through json.dumps.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import ocpp
from hypothesis import strategies as st

from tests.fuzz import odd_values as odd

SCHEMAS = Path(ocpp.__file__).parent / "v16" / "schemas"
DEEP_MARK = "\u0000deep\u0000"

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
_json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
ANY_JSON = st.recursive(_json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


@cache
def request_schema(action: str) -> dict:
    return json.loads((SCHEMAS / f"{action}.json").read_text())


def timestamps() -> st.SearchStrategy[str]:
    """RFC 3339 date-times within a day of NOW, in UTC or with an offset."""
    moments = st.integers(-86_400, 86_400).map(lambda s: NOW + timedelta(seconds=s))
    offsets = st.sampled_from(["Z", "+00:00", "+02:00", "-05:30"])
    return st.builds(lambda m, o: m.strftime("%Y-%m-%dT%H:%M:%S") + o, moments, offsets)


def decimals() -> st.SearchStrategy[str]:
    return st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False, allow_infinity=False).map(str)


# Field names whose realistic values reach deeper than any random value would.
HINTS: dict[str, st.SearchStrategy] = {
    "connectorId": st.integers(0, 3) | st.integers(),
    "transactionId": st.integers(1, 6) | st.integers(),
    "idTag": st.sampled_from(["12345678", "UNKNOWN1"]) | st.text(max_size=20),
    "parentIdTag": st.sampled_from(["12345678"]) | st.text(max_size=20),
    "meterStart": st.integers(0, 10**7) | st.integers(),
    "meterStop": st.integers(0, 10**7) | st.integers(),
    "reservationId": st.integers(0, 5) | st.integers(),
}


def _of(schema: dict, name: str = "") -> st.SearchStrategy:
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if name in HINTS:
        return HINTS[name]
    kind = schema.get("type")
    if kind == "object":
        return _object(schema)
    if kind == "array":
        low = schema.get("minItems", 0)
        return st.lists(_of(schema["items"]), min_size=low, max_size=max(low, schema.get("maxItems", low + 2)))
    if kind == "integer":
        return st.integers()
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers()
    if kind == "boolean":
        return st.booleans()
    if schema.get("format") == "date-time":
        return timestamps()
    if name == "value":
        return decimals() | st.text(max_size=schema.get("maxLength", 30))
    return st.text(max_size=schema.get("maxLength", 50))


def _object(schema: dict) -> st.SearchStrategy[dict]:
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {k: _of(v, k) for k, v in props.items() if k in required},
        optional={k: _of(v, k) for k, v in props.items() if k not in required},
    )


def valid_payloads(action: str) -> st.SearchStrategy[dict]:
    return _of(request_schema(action))


def _odd_for(name) -> st.SearchStrategy:
    targeted = {"timestamp": odd.ODD_TIMESTAMPS, "value": odd.ODD_DECIMALS}.get(name)
    pool = st.sampled_from(odd.ODD_NUMBERS + odd.ODD_STRINGS + odd.ODD_SCALARS) | ANY_JSON
    return (st.sampled_from(targeted) | pool) if targeted else (st.sampled_from(odd.ODD_NUMBERS) | pool)


@st.composite
def mutated_frames(draw, action: str, message_id: str = "fz-1") -> str:
    """A CALL frame for `action` whose payload is valid but for one thing (see the module docstring)."""
    payload = draw(valid_payloads(action))
    path = draw(st.sampled_from(list(odd.paths(payload))))
    kind = draw(st.sampled_from(["odd", "odd", "odd", "remove", "extra", "deep"]))
    name = path[-1] if path else None
    if kind == "remove" and path:
        odd.remove_at(payload, path)
    elif kind == "extra" and isinstance(odd.get_at(payload, path), dict):
        odd.get_at(payload, path)[draw(st.text(min_size=1, max_size=10))] = draw(ANY_JSON)
    elif kind == "deep" and path:
        odd.set_at(payload, path, DEEP_MARK)
    else:
        payload = odd.set_at(payload, path, draw(_odd_for(name)))
    text = json.dumps([2, message_id, action, payload])
    mark = json.dumps(DEEP_MARK)
    if mark in text:
        depth = draw(st.sampled_from([50, 900, 1_000, 5_000]))
        text = text.replace(mark, odd.deep(depth, draw(st.sampled_from("[{"))))
    return text

