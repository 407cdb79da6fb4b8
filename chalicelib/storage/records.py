"""Per-station records: connector status, event feed, raw meter samples, parked stops."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import PutError

from chalicelib.storage.models import (
    ConnectorStatusItem,
    EventItem,
    ParkedStopItem,
    SampleItem,
)


def connector_sk(connector_id: int) -> str:
    return f"CP#{connector_id:04d}"


def event_sk(moment: datetime, message_id: str) -> str:
    return f"EV#{moment.strftime('%Y-%m-%dT%H:%M:%S.%f')}#{message_id}"


def sample_sk(transaction_id: int | None, moment: datetime, connector_id: int) -> str:
    tx = f"{transaction_id:012d}" if transaction_id is not None else "none"
    return f"MV#{tx}#{moment.strftime('%Y-%m-%dT%H:%M:%S.%f')}#{connector_id}"


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


def park_stop(pk: str, transaction_id: int, payload: str, now: datetime) -> None:
    item = ParkedStopItem(pk, f"PS#{transaction_id:012d}", transaction_id=transaction_id, payload=payload, received_at=now)
    try:
        item.save(condition=ParkedStopItem.sk.does_not_exist())
    except PutError:
        pass  # a retried StopTransaction: already parked


def station_events(pk: str, day: str) -> list[EventItem]:
    """The event feed of one UTC day ('YYYY-MM-DD'), newest first."""
    return list(EventItem.query(pk, EventItem.sk.startswith(f"EV#{day}"), scan_index_forward=False))


def connector_statuses(pk: str) -> list[ConnectorStatusItem]:
    return list(ConnectorStatusItem.query(pk, ConnectorStatusItem.sk.startswith("CP#")))


def samples_of(pk: str, transaction_id: int) -> list[SampleItem]:
    return list(SampleItem.query(pk, SampleItem.sk.startswith(f"MV#{transaction_id:012d}#")))


__all__ = ["ConnectorStatusItem", "EventItem", "SampleItem"]
