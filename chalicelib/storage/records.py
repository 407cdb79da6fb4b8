"""Per-station records: connector status, event feed, raw meter samples, parked stops."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import PutError

from chalicelib.clock import UTC, sortable
from chalicelib.storage.models import (
    ConnectorStatusItem,
    EventItem,
    ParkedStopItem,
    SampleItem,
)
from chalicelib.storage.paging import Page, query_page


def connector_sk(connector_id: int) -> str:
    return f"CP#{connector_id:04d}"


def event_sk(moment: datetime, message_id: str) -> str:
    return f"EV#{sortable(moment)}#{message_id}"


def sample_sk(transaction_id: int | None, moment: datetime, connector_id: int) -> str:
    tx = f"{transaction_id:012d}" if transaction_id is not None else "none"
    return f"MV#{tx}#{sortable(moment)}#{connector_id}"


def put_all(items: list) -> None:
    """Unconditional puts of items that share the station-records table, in one BatchWriteItem."""
    if not items:
        return
    table = items[0]._get_connection()
    for start in range(0, len(items), 25):
        chunk = [item.serialize() for item in items[start : start + 25]]
        result = table.batch_write_item(put_items=chunk) or {}
        unprocessed = result.get("UnprocessedItems", {}).get(items[0].Meta.table_name)
        if unprocessed:
            # Rare (throttling): fall back to single puts so nothing is lost.
            for item in items[start : start + 25]:
                item.save()


def status_items(pk: str, message_id: str, fields: dict, at: datetime) -> tuple[dict, dict]:
    """A status event and the connector's current status as DynamoDB items.

    The attribute maps are built once by hand (same attributes as EventItem / ConnectorStatusItem):
    this is the second most frequent message, and two model instances cost more than the
    schema validation of the frame.
    """
    common = {"pk": {"S": pk}, "timestamp": {"S": EventItem.timestamp.serialize(at)}}
    for name, value in fields.items():
        if value is not None:
            common[name] = {"N": str(value)} if name == "connector_id" else {"S": value}
    event = {**common, "sk": {"S": event_sk(at, message_id)}, "kind": {"S": "StatusNotification"}}
    current = {**common, "sk": {"S": connector_sk(fields["connector_id"])}}
    return event, current


def put_status(pk: str, message_id: str, fields: dict, at: datetime) -> None:
    """A status event and the connector's current status in one BatchWriteItem."""
    event, current = status_items(pk, message_id, fields, at)
    table = EventItem._get_connection()
    result = table.batch_write_item(put_items=[event, current]) or {}
    if result.get("UnprocessedItems"):
        table.batch_write_item(put_items=[event, current])  # idempotent: same keys, same values


def add_status(writes, pk: str, message_id: str, fields: dict, at: datetime) -> None:
    """The same two items as `put_status`, as part of a transaction (storage.aggregates.Writes)."""
    for item in status_items(pk, message_id, fields, at):
        writes.put_raw(EventItem.Meta.table_name, item)


def park_stop(pk: str, transaction_id: int, payload: str, now: datetime) -> None:
    item = ParkedStopItem(pk, f"PS#{transaction_id:012d}", transaction_id=transaction_id, payload=payload, received_at=now)
    try:
        item.save(condition=ParkedStopItem.sk.does_not_exist())
    except PutError:
        pass  # a retried StopTransaction: already parked


def station_events(pk: str, day: str) -> list[EventItem]:
    """The event feed of one UTC day ('YYYY-MM-DD'), newest first."""
    return list(EventItem.query(pk, EventItem.sk.startswith(f"EV#{day}"), scan_index_forward=False))


def events_between(pk: str, start: datetime, end: datetime, filter_condition=None, **kwargs):
    """Events with start <= timestamp < end (UTC), newest first: one Query of the sort-key range."""
    condition = EventItem.sk.between(f"EV#{sortable(start.astimezone(UTC))}", f"EV#{sortable(end.astimezone(UTC))}")
    return EventItem.query(pk, condition, filter_condition=filter_condition, scan_index_forward=False, **kwargs)


def event_page(pk: str, start: datetime, end: datetime, status: str | None, error_code: str | None, limit: int, cursor: str | None, keep=None) -> Page:
    """One page of a station's events in [start, end), newest first, filtered by status and error code."""
    condition = None
    for attribute, wanted in ((EventItem.status, status), (EventItem.error_code, error_code)):
        if wanted:
            term = attribute == wanted
            condition = term if condition is None else condition & term
    return query_page(
        lambda **kw: events_between(pk, start, end, filter_condition=condition, **kw),
        limit,
        cursor,
        hash_key=("pk", pk),
        keep=keep,
    )


def connector_statuses(pk: str) -> list[ConnectorStatusItem]:
    return list(ConnectorStatusItem.query(pk, ConnectorStatusItem.sk.startswith("CP#")))


def samples_of(pk: str, transaction_id: int) -> list[SampleItem]:
    return list(SampleItem.query(pk, SampleItem.sk.startswith(f"MV#{transaction_id:012d}#")))

