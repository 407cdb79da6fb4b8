"""Query pages whose items are read by `json.loads` alone, not walked by botocore's parser value by value.

botocore parses a DynamoDB answer against the service model: every attribute of every item goes through
its structure parser (about 40 us per report row of ten attributes, more than everything else our side
does with the row). For items whose values are all strings (S) and numbers (N), what botocore returns is
exactly what JSON gives: the same strings. Inside `plain_items()`, botocore's `before-parse` event takes
the `Items` out of a successful Query answer when every value is S or N, hands them to the answer through
`customized_response_dict` (merged into the parsed answer by botocore), and leaves botocore the rest
(Count, LastEvaluatedKey...) to parse as usual. An answer with any other type is left to botocore whole.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_EVENT = "before-parse.dynamodb.Query"
_current = threading.local()  # .active: this thread's Query answers take the shortcut
_registered: weakref.WeakSet = weakref.WeakSet()  # the clients carrying the handler
_lock = threading.Lock()


@contextmanager
def plain_items(client: Any) -> Iterator[None]:
    """Within: this thread's Query answers on `client` keep their plain items as JSON decoded them."""
    _register(client)
    _current.active = True
    try:
        yield
    finally:
        _current.active = False


def _register(client: Any) -> None:
    if client in _registered:
        return
    with _lock:
        if client not in _registered:
            client.meta.events.register(_EVENT, _take_items, unique_id="csms-plain-items")
            _registered.add(client)


def _take_items(response_dict: dict, customized_response_dict: dict, **_: Any) -> None:
    if not getattr(_current, "active", False) or response_dict.get("status_code") != 200:
        return
    try:
        answer = json.loads(response_dict["body"])
    except (ValueError, TypeError, KeyError):
        return  # botocore reads (and reports) it
    items = answer.get("Items") if isinstance(answer, dict) else None
    if not isinstance(items, list) or not all(_plain(item) for item in items):
        return
    del answer["Items"]
    response_dict["body"] = json.dumps(answer).encode()
    customized_response_dict["Items"] = items


def _plain(item: Any) -> bool:
    if type(item) is not dict:
        return False
    for value in item.values():
        if type(value) is not dict or len(value) != 1:
            return False
        if type(value.get("S", value.get("N"))) is not str:
            return False
    return True
