"""The few candidates moto's Query loop can reach, cut out of a sorted partition or index bucket.

moto 5.2.5's `Table.query` walks every candidate of the partition or index hash key for every page: it
compares each with the hash key, skips the earlier pages one `_item_comes_before_dct` at a time (tens of
microseconds each) and tests the range condition on every item. Paging through a million items therefore
costs O(n) per page and O(n^2) for the whole read (a 100,000-session report: 100 pages, 5 million
comparisons, minutes). Given the candidates already in moto's order (devstack/fast_dynamodb.py keeps them
sorted, with their native sort keys), the items moto would look at are found by bisection and handed to
moto's own loop, which then answers exactly as it would have over all of them:

- the earlier pages: moto skips every item at or before the ExclusiveStartKey (at or after it when reading
  backwards), a prefix of the sorted candidates: one bisection;
- the range condition (=, <, <=, >, >=, BETWEEN, begins_with on the index or table range key) holds on one
  contiguous run of the candidates; the run starts at a bisection of the condition's value;
- inside that run a string condition holds without asking moto's test again (strings compare alike here
  and in moto; numbers are still tested by moto's own comparison);
- moto stops at the item after the `Limit`-th match, or at the first item that would take the page past
  1 MB (`RESULT_SIZE_LIMIT`, counted with moto's `Item.size()` of the whole item, tested on every item it
  walks, matching or not) and then answers a LastEvaluatedKey. The window therefore ends at that item:
  after the run of matches it goes on only while an item could still trip the size test (rarely: only when
  the matches already weigh more than 1 MB minus the largest possible item).

Anything else (a type or shape bisection cannot compare: mixed key types, a start key lacking an attribute,
other operators, several range conditions, legacy QueryFilter arguments) gets `None`: moto's full walk.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from moto.dynamodb.models.table import RESULT_SIZE_LIMIT

MAX_ITEM_SIZE = 405_000  # moto refuses an item above this size (LimitedSizeDict)
_BISECTABLE = {"=", "<", "<=", ">", ">=", "BETWEEN", "BEGINS_WITH"}


def native(value: dict | None, kind: str) -> Any:
    """A start key's or a condition's {type: value} as the bucket compares it; None when of another type."""
    if not isinstance(value, dict) or len(value) != 1 or kind not in value or not isinstance(value[kind], str):
        return None
    raw = value[kind]
    try:
        return raw if kind == "S" else Decimal(raw)
    except ArithmeticError:
        return None


class Condition:
    """One range key condition (moto's comparison name and DynamoType values) at position `at` of the sort keys."""

    def __init__(self, comparison: str, values: list, at: int, kind: str) -> None:
        self.comparison = comparison
        self.values = [native(v.to_json(), kind) for v in values]
        self.at = at
        self.usable = comparison in _BISECTABLE and None not in self.values and bool(self.values)
        if comparison == "BEGINS_WITH" and kind != "S":
            self.usable = False
        # Strings compare in moto as they do here: inside the bisected run every candidate matches without
        # asking moto's test (numbers: Decimal here, moto's own comparison there, so moto is still asked).
        self.sure = self.usable and kind == "S"

    def first(self, keys: Sequence[tuple]) -> int:
        """The first position where the run of matches can start (reading forwards)."""
        value = self.values[0]
        if self.comparison in ("<", "<="):
            return 0
        if self.comparison == ">":
            return bisect_right(keys, value, key=self._component)
        if self.comparison == "BEGINS_WITH":
            return bisect_left(keys, value, key=self._prefix)
        return bisect_left(keys, value, key=self._component)

    def last(self, keys: Sequence[tuple]) -> int:
        """One past the last position where the run can end (the start when reading backwards)."""
        value = self.values[-1]
        if self.comparison in (">", ">="):
            return len(keys)
        if self.comparison == "<":
            return bisect_left(keys, value, key=self._component)
        if self.comparison == "BEGINS_WITH":
            return bisect_right(keys, value, key=self._prefix)
        return bisect_right(keys, value, key=self._component)

    def run(self, keys: Sequence[tuple]) -> range:
        """The positions of the run of matches."""
        return range(self.first(keys), self.last(keys))

    def _component(self, key: tuple) -> Any:
        return key[self.at]

    def _prefix(self, key: tuple) -> Any:
        # Cutting sorted strings to the prefix's length keeps them sorted: the matches are one run.
        return key[self.at][: len(self.values[0])]


def cut(
    keys: Sequence[tuple],
    items: Sequence[Any],
    start_key: tuple | None,
    condition: Condition | None,
    matches: Callable[[Any], bool],
    forward: bool,
    limit: int | None,
) -> list:
    """The candidates (ascending, as moto expects them) moto's loop would walk before it stops.

    `keys[i]` is the native sort key of `items[i]`; `start_key` the ExclusiveStartKey's; `matches(item)`
    moto's own range test (True without a condition).
    """
    run = condition.run(keys) if condition is not None else range(len(items))
    if forward:
        begin = bisect_right(keys, start_key) if start_key is not None else 0
        if condition is not None:
            begin = max(begin, run.start)
        order: Sequence[int] = range(begin, len(items))
    else:
        end = bisect_left(keys, start_key) if start_key is not None else len(keys)
        if condition is not None:
            end = min(end, run.stop)
        order = range(end - 1, -1, -1)
    sure = run if condition is None or condition.sure else range(0)  # positions that match without moto's test
    walked = _walk(items, order, matches, limit, sure)
    return walked if forward else walked[::-1]


def _walk(items: Sequence[Any], order: Sequence[int], matches: Callable[[Any], bool], limit: int | None,
          sure: range) -> list:
    """moto's loop, replayed on sizes and matches only, to find where it stops."""
    walked: list = []
    count = size = 0
    run_over = False
    for position in order:
        item = items[position]
        item_size = item.size()
        if (limit is not None and count == limit) or size + item_size > RESULT_SIZE_LIMIT:
            walked.append(item)  # moto stops here (and answers a LastEvaluatedKey)
            return walked
        if run_over:
            continue  # no further match: only an item heavy enough to stop moto would count
        if position in sure or matches(item):
            walked.append(item)
            count += 1
            size += item_size
            continue
        walked.append(item)  # the run of matches is over
        run_over = True
        if size + MAX_ITEM_SIZE <= RESULT_SIZE_LIMIT:
            return walked  # nothing after it can trip the size test: moto ends its walk with the same page
    return walked


def for_query(
    keys: Sequence[tuple],
    items: Sequence[Any],
    sort_attrs: list[str],
    types: tuple,
    constant: int,
    query: dict,
) -> list | None:
    """The window of one Query (moto's `Table.query` arguments in `query`) over sorted candidates; None: all.

    `sort_attrs` name the components of each native key, of `types` (S or N each); the first `constant` are
    the same for every candidate (the hash key values).
    """
    conditions = query["range_key_conditions"] or []
    if query["filter_kwargs"] or len(conditions) > 1 or (query["range_comparison"] and not conditions):
        return None
    start_key = None
    if query["exclusive_start_key"] is not None:
        esk = query["exclusive_start_key"]
        start_key = tuple(native(esk.get(name), kind) for name, kind in zip(sort_attrs, types, strict=True))
        if None in start_key:
            return None
    condition, matches = None, _always
    if conditions:
        name, comparison, values = conditions[0]
        at = sort_attrs.index(name) if name in sort_attrs else -1
        if at != constant or comparison != query["range_comparison"]:
            return None
        condition = Condition(comparison, values, at, types[at])
        if not condition.usable:
            return None
        matches = _moto_range_test(name, comparison, query["range_objs"], query["index_name"])
    return cut(keys, items, start_key, condition, matches, query["scan_index_forward"] is not False, query["limit"])


def _always(item: Any) -> bool:
    return True


def _moto_range_test(name: str, comparison: str, objs: list, index_name: str | None) -> Callable[[Any], bool]:
    """Table.query's own test of one candidate against the range condition."""

    def matches(item: Any) -> bool:
        value = item.attrs.get(name)
        if value:
            return value.compare(comparison, objs)
        return not index_name and item.range_key.compare(comparison, objs)

    return matches
