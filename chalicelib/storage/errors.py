"""PynamoDB's and botocore's exceptions as the ports' typed errors: the one translation, inside storage.

`translate` and `translated()` are for adapters: every PynamoDB or botocore failure leaves storage as
a chalicelib.ports.errors type. `unavailability_translated` is what the shared connection applies to
every DynamoDB call (storage/base.py): failures after botocore's retries become StorageUnavailable,
while a failed condition and a cancelled transaction stay PynamoDB's own exceptions for the storage
code that still inspects them (until every storage module catches the ports' types).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import DoesNotExist, PynamoDBException

from chalicelib.ports.errors import ConditionFailed, NotFound, StorageError, StorageUnavailable

# DynamoDB's answers that mean "your precondition did not hold", not "the store failed".
CONDITION_CODES = frozenset({"ConditionalCheckFailedException", "TransactionCanceledException"})

F = TypeVar("F", bound=Callable[..., Any])


def translate(exc: BaseException) -> StorageError:
    """The ports' error for a PynamoDB or botocore exception (anything else: StorageUnavailable)."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, DoesNotExist):
        return NotFound(str(exc) or "item not found")
    if _is_condition(exc):
        return ConditionFailed(str(exc))
    return StorageUnavailable(f"{type(exc).__name__}: {exc}"[:500])


def recognised(exc: BaseException) -> StorageError | None:
    """A PynamoDB exception that left storage untranslated, as the ports' error; None for anything else
    (the edges ask through the installed store: they import nothing of storage)."""
    return translate(exc) if isinstance(exc, PynamoDBException) else None


@contextmanager
def translated() -> Iterator[None]:
    """Around an adapter's storage calls: what fails leaves as a chalicelib.ports.errors type."""
    try:
        yield
    except (PynamoDBException, BotoCoreError, ClientError) as exc:
        raise translate(exc) from exc


def unavailability_translated(call: F) -> F:
    """Wrap one DynamoDB operation: a failure other than a failed condition becomes StorageUnavailable."""

    @wraps(call)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except PynamoDBException as exc:
            if _is_condition(exc) or isinstance(exc, DoesNotExist):
                raise
            raise translate(exc) from exc

    return wrapper  # type: ignore[return-value]


def condition_failed(exc: BaseException) -> bool:
    """True when DynamoDB refused one item's write because its condition did not hold."""
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def _is_condition(exc: BaseException) -> bool:
    if isinstance(exc, PynamoDBException):
        return exc.cause_response_code in CONDITION_CODES
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code") in CONDITION_CODES
    return False
