"""The calls port on DynamoDB: the commands table (ADR 0013), its sparse `due` index and the queue markers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib import clock
from chalicelib.clock import sortable
from chalicelib.ports.calls import PENDING, QUEUED, Command, DueCall, id_stamp
from chalicelib.ports.errors import AlreadyExists, ConditionFailed, NotFound
from chalicelib.ports.paging import Page
from chalicelib.storage.base import transact_write
from chalicelib.storage.errors import translated
from chalicelib.storage.models import CommandItem, QueuedCommandItem, station_key
from chalicelib.storage.paging import query_page
from chalicelib.storage.writes import set_or_remove

DUE_SHARD = "pending"
# A closed call stays readable in the history this long, then DynamoDB's TTL removes it.
KEEP = timedelta(days=180)
_CHANGEABLE = {"state", "response", "error", "deadline_at", "completed_at"}


def _sk(command_id: str) -> str:
    return f"C#{command_id}"


def _queue_sk(command_id: str) -> str:
    return f"Q#{command_id}"


class DynamoCalls:
    def add(self, command: Command) -> None:
        item = command_item(command)
        condition = CommandItem.pk.does_not_exist()
        try:
            with translated():
                if command.state != QUEUED:
                    item.save(condition=condition)
                    return
                # The record and its queue marker together: a queued call is never invisible to a boot.
                with transact_write() as tx:
                    tx.save(item, condition=condition)
                    tx.save(QueuedCommandItem(item.pk, _queue_sk(command.command_id), command_id=command.command_id))
        except ConditionFailed:
            raise AlreadyExists(f"command {command.command_id}") from None

    def get(self, org_id: str, station_id: str, command_id: str) -> Command | None:
        try:
            with translated():
                item = CommandItem.get(station_key(org_id, station_id), _sk(command_id), consistent_read=True)
        except NotFound:
            return None
        return _command(item)

    def change(self, org_id: str, station_id: str, command_id: str, expected: tuple[str, ...], **changes: Any) -> Command | None:
        unknown = set(changes) - _CHANGEABLE
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)}")
        item = CommandItem(station_key(org_id, station_id), _sk(command_id))
        condition = CommandItem.state.is_in(*expected)
        try:
            with translated():
                if changes.get("state") == QUEUED and QUEUED not in expected:
                    return self._requeue(item, changes, condition, (org_id, station_id, command_id))
                item.update(actions=_actions(changes), condition=condition)
        except ConditionFailed:
            return None
        if QUEUED in expected and item.state != QUEUED:
            with translated():
                QueuedCommandItem(item.pk, _queue_sk(command_id)).delete()
        return _command(item)

    def _requeue(self, item: CommandItem, changes: dict[str, Any], condition, key: tuple[str, str, str]) -> Command | None:
        """Back into the queue: the record and its marker change together."""
        with transact_write() as tx:
            tx.update(item, actions=_actions(changes), condition=condition)
            tx.save(QueuedCommandItem(item.pk, _queue_sk(key[2]), command_id=key[2]))
        return self.get(*key)

    def history(self, org_id: str, station_id: str, limit: int, cursor: str | None = None) -> Page[Command]:
        pk = station_key(org_id, station_id)

        def query(**kwargs):
            return CommandItem.query(pk, CommandItem.sk.startswith("C#"), scan_index_forward=False, **kwargs)

        with translated():
            found = query_page(query, limit, cursor, hash_key=("pk", pk))
        return Page([_command(item) for item in found.items], found.cursor)

    def pending_since(self, org_id: str, station_id: str, since: datetime) -> list[Command]:
        pk, low = station_key(org_id, station_id), _sk(id_stamp(since))
        with translated():
            found = CommandItem.query(
                pk, CommandItem.sk.between(low, "C#~"), filter_condition=CommandItem.state == PENDING, consistent_read=True,
            )
            return [_command(item) for item in found]

    def queued(self, org_id: str, station_id: str) -> list[Command]:
        pk = station_key(org_id, station_id)
        with translated():
            markers = list(QueuedCommandItem.query(pk, QueuedCommandItem.sk.startswith("Q#"), consistent_read=True))
        found = [self.get(org_id, station_id, marker.command_id) for marker in markers]
        return [command for command in found if command is not None and command.state == QUEUED]

    def due(self, now: datetime, limit: int = 100) -> list[DueCall]:
        with translated():
            items = CommandItem.by_due.query(DUE_SHARD, CommandItem.due_at < sortable(now), limit=limit)
            return [
                DueCall(item.org_id, item.station_id, item.sk[2:], item.action, clock.parse(item.due_at))
                for item in items
            ]


def _actions(changes: dict[str, Any]) -> list:
    actions = []
    for name, value in changes.items():
        attribute = getattr(CommandItem, name)
        actions.append(set_or_remove(attribute, value))
    if "state" in changes:
        # Only a Pending call is in the sparse `due` index.
        deadline = changes.get("deadline_at")
        if changes["state"] == PENDING and deadline is not None:
            actions += [CommandItem.due.set(DUE_SHARD), CommandItem.due_at.set(sortable(deadline))]
        elif changes["state"] != PENDING:
            actions += [CommandItem.due.remove(), CommandItem.due_at.remove()]
    return actions


def command_item(command: Command) -> CommandItem:
    """The item of a call record (also written in the minute job's transactions, beside its task's run)."""
    pending = command.state == PENDING and command.deadline_at is not None
    return CommandItem(
        station_key(command.org_id, command.station_id),
        _sk(command.command_id),
        org_id=command.org_id,
        station_id=command.station_id,
        command_id=command.command_id,
        action=command.action,
        payload=command.payload,
        state=command.state,
        response=command.response,
        error=command.error,
        operator_id=command.operator_id,
        created_at=command.created_at,
        deadline_at=command.deadline_at,
        completed_at=command.completed_at,
        timeout_s=command.timeout_s,
        due=DUE_SHARD if pending else None,
        due_at=sortable(command.deadline_at) if pending else None,
        expires=command.created_at + KEEP,
    )


def _command(item: CommandItem) -> Command:
    return Command(
        org_id=item.org_id,
        station_id=item.station_id,
        command_id=item.command_id,
        action=item.action,
        payload=item.payload,
        state=item.state,
        created_at=item.created_at,
        deadline_at=item.deadline_at,
        response=item.response,
        error=item.error,
        operator_id=item.operator_id,
        completed_at=item.completed_at,
        timeout_s=int(item.timeout_s),
    )


def build() -> DynamoCalls:
    return DynamoCalls()
