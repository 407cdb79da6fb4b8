"""TransactWriteItems built from models or hand-built items, what a cancelled one means; update actions."""

from __future__ import annotations

from pynamodb.exceptions import TransactWriteError

from chalicelib.storage.base import connection


def set_or_remove(attribute, value):
    """The UpdateItem action that stores `value`, or removes the attribute when it is None."""
    return attribute.remove() if value is None else attribute.set(value)

class Writes:
    """The operations of one TransactWriteItems, built from models or hand-built items."""

    def __init__(self) -> None:
        self.checks: list[dict] = []
        self.deletes: list[dict] = []
        self.puts: list[dict] = []
        self.updates: list[dict] = []

    def __len__(self) -> int:
        return len(self.checks) + len(self.deletes) + len(self.puts) + len(self.updates)

    def check(self, model_class, hash_key, range_key, condition) -> None:
        self.checks.append(model_class.get_operation_kwargs_from_class(hash_key, range_key, condition))

    def put_raw(self, table_name: str, item: dict) -> None:
        self.puts.append({"TableName": table_name, "Item": item})

    def save(self, model, condition=None) -> None:
        self.puts.append(model.get_save_kwargs_from_instance(condition=condition))

    def update(self, model, actions: list, condition=None) -> None:
        self.updates.append(model.get_update_kwargs_from_instance(actions, condition, add_version_condition=False))

    def delete(self, model, condition=None) -> None:
        self.deletes.append(model.get_delete_kwargs_from_instance(condition, add_version_condition=False))

    def commit(self) -> None:
        try:
            connection().transact_write_items(self.checks, self.deletes, self.puts, self.updates)
        except TransactWriteError as error:
            codes = {reason.code for reason in error.cancellation_reasons if reason is not None}
            if not codes:
                raise  # not a cancellation (validation, throttling after retries): a real failure
            raise Refused(codes <= {"TransactionConflict"}) from error


class Refused(Exception):
    """A transaction was cancelled: a condition failed, or (`conflict`) a concurrent one held its items."""

    def __init__(self, conflict: bool) -> None:
        super().__init__("transaction cancelled" + (" by a concurrent transaction" if conflict else ""))
        self.conflict = conflict
