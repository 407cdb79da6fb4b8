"""Values a careless or hostile charger sends where a well-formed one belongs, and where to put them (no hypothesis).

Shared by the property tests (tests/fuzz) and the frame fuzzing benchmark (bench.frame_fuzz).
"""

from __future__ import annotations

# Numbers JSON can carry but no meter, connector or transaction has.
ODD_NUMBERS = [
    0, -1, -(2**31), 2**31, 2**63, -(2**63) - 1, 10**40, -(10**40), 10**400,
    0.5, -0.0, 1e308, -1e308, 1e-320, 2.0,
]
# Strings where a decimal ("value" of a sampled value) is expected.
ODD_DECIMALS = [
    "", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e999", "-1", "-0", "0x10",
    "1_000", "١٢٣", "12,5", "1.2.3", "9" * 400, "1e-400", "+5", ".5", "5.",
]
# Strings where an RFC 3339 date-time is expected.
ODD_TIMESTAMPS = [
    "", "now", "2026-11-21", "2026-11-21T10:00:00", "2026-11-21 10:00:00Z", "2026-13-45T99:99:99Z",
    "0000-00-00T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-11-21T10:00:00+25:00",
    "2026-11-21T10:00:00.123456789123Z", "1970-01-01T00:00:00Z", "2126-11-21T10:00:00Z",
    "2026-02-30T10:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T10:00:60Z", "2026-W47-5T10:00:00Z",
    # Valid RFC 3339 whose UTC equivalent falls outside year 1..9999.
    "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
]
# Strings anywhere: empty, control characters, lone surrogate escapes come from the JSON text itself.
ODD_STRINGS = ["", " ", "\x00", "\u202e", "'; DROP TABLE x;--", "{}", "[]", "null", "ACME#EVI00000014", "x" * 10_000]
ODD_SCALARS = [None, True, False, [], {}, [[]], {"": None}]


def deep(depth: int, opener: str = "[") -> str:
    """JSON text nested `depth` levels deep: arrays or objects."""
    if opener == "[":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "{}" + "}" * depth


def paths(value, here: tuple = ()):
    """Every place in a JSON value a mutation can hit, the root first."""
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*here, index))


def get_at(value, path: tuple):
    for step in path:
        value = value[step]
    return value


def set_at(value, path: tuple, new):
    """`value` with the item at `path` replaced by `new` (in place; the root path returns `new`)."""
    if not path:
        return new
    get_at(value, path[:-1])[path[-1]] = new
    return value


def remove_at(value, path: tuple) -> None:
    del get_at(value, path[:-1])[path[-1]]
