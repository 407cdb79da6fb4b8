"""Writes of charging users, tokens and user groups: each change and its counters in one transaction.

A user's `token_count` and a user group's `member_count` move in the same TransactWriteItems as the
change itself, so lists show them without counting. A failed condition names the item it guarded
(`ConditionFailed.labels`); a throttled or conflicting transaction is `TransientFailure`.
"""

from __future__ import annotations

from collections import Counter

from pynamodb.exceptions import TransactWriteError

from chalicelib.storage.base import transact_write
from chalicelib.storage.models import ChargingUserItem, TokenItem, UserGroupItem

MAX_ITEMS = 100  # TransactWriteItems' limit
_TRANSIENT = {
    "TransactionConflict", "TransactionConflictException", "ThrottlingError", "ThrottlingException",
    "ProvisionedThroughputExceeded", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
    "InternalServerError", "ServiceUnavailable", "TransactionInProgressException",
}


class ConditionFailed(Exception):
    """The transaction was cancelled because the conditions of these labelled items failed."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__(", ".join(labels))
        self.labels = labels


class TransientFailure(Exception):
    """DynamoDB refused for now (conflicting transaction, throttling, internal error): retry later."""


class Tx:
    """A TransactWrite whose items carry labels, in the order PynamoDB sends them."""

    def __init__(self) -> None:
        self._tx = transact_write()
        self._labels: dict[str, list[str]] = {"delete": [], "put": [], "update": []}

    def put(self, label: str, item, condition) -> None:
        self._tx.save(item, condition=condition)
        self._labels["put"].append(label)

    def update(self, label: str, item, actions: list, condition=None, versioned: bool = False) -> None:
        """Update a loaded item; its version is always incremented, checked only if `versioned`."""
        self._tx.update(item, actions=actions, condition=condition, add_version_condition=versioned)
        self._labels["update"].append(label)

    def delete(self, label: str, item, condition=None, versioned: bool = False) -> None:
        self._tx.delete(item, condition=condition, add_version_condition=versioned)
        self._labels["delete"].append(label)

    def __len__(self) -> int:
        return sum(len(labels) for labels in self._labels.values())

    def commit(self) -> None:
        if not len(self):
            return
        try:
            self._tx._commit()
        except TransactWriteError as exc:
            order = self._labels["delete"] + self._labels["put"] + self._labels["update"]
            reasons = exc.cancellation_reasons or []
            failed = [order[i] for i, reason in enumerate(reasons) if reason and reason.code == "ConditionalCheckFailed"]
            if failed:
                raise ConditionFailed(failed) from exc
            codes = {reason.code for reason in reasons if reason} | {exc.cause_response_code}
            if codes & _TRANSIENT or not exc.cause_response_code:
                raise TransientFailure(str(exc)) from exc
            raise


def member_change(tx: Tx, groups: dict[str, UserGroupItem], delta: Counter) -> None:
    """Add each user group's member count change (groups that lost their last item are skipped)."""
    for group_id, change in delta.items():
        group = groups.get(group_id)
        if change and group is not None:
            tx.update(f"group:{group_id}", group, [UserGroupItem.member_count.add(change)], UserGroupItem.user_group_id.exists())


def create_user(user: ChargingUserItem, tokens: list[TokenItem], group: UserGroupItem | None) -> None:
    """A new user with its tokens and its group's member count; labels "user", "token:<id>", "group:<id>"."""
    user.token_count = len(tokens)
    tx = Tx()
    tx.put("user", user, ChargingUserItem.user_id.does_not_exist())
    for token in tokens:
        tx.put(f"token:{token.token_id}", token, TokenItem.token_id.does_not_exist())
    if group is not None:
        member_change(tx, {group.user_group_id: group}, Counter({group.user_group_id: 1}))
    tx.commit()


def update_user(user: ChargingUserItem, actions: list, groups: dict[str, UserGroupItem], delta: Counter) -> None:
    """Edit a user as of its loaded version, moving it between user groups; labels "user", "group:<id>"."""
    tx = Tx()
    tx.update("user", user, actions, ChargingUserItem.user_id.exists(), versioned=True)
    member_change(tx, groups, delta)
    tx.commit()


def delete_user(user: ChargingUserItem, tokens: list[TokenItem], group: UserGroupItem | None) -> None:
    """Delete a user and its tokens: full batches of tokens first, then the rest with the user.

    Every step changes the user's version and the last one deletes it as of that version, so a token
    added or removed meanwhile fails it (label "user").
    """
    batch = MAX_ITEMS - 2
    while len(tokens) > batch:
        chunk, tokens = tokens[:batch], tokens[batch:]
        tx = Tx()
        for token in chunk:
            tx.delete(f"token:{token.token_id}", token, TokenItem.user_id == user.user_id)
        tx.update("user", user, [ChargingUserItem.token_count.add(-len(chunk))], ChargingUserItem.user_id.exists(), versioned=True)
        tx.commit()
    tx = Tx()
    for token in tokens:
        tx.delete(f"token:{token.token_id}", token, TokenItem.user_id == user.user_id)
    tx.delete("user", user, ChargingUserItem.user_id.exists(), versioned=True)
    if group is not None:
        member_change(tx, {group.user_group_id: group}, Counter({group.user_group_id: -1}))
    tx.commit()


def add_token(user: ChargingUserItem, token: TokenItem) -> None:
    """Labels "token" (the id is taken) and "user" (the user is gone)."""
    tx = Tx()
    tx.put("token", token, TokenItem.token_id.does_not_exist())
    tx.update("user", user, [ChargingUserItem.token_count.add(1)], ChargingUserItem.user_id.exists())
    tx.commit()


def update_token(token: TokenItem, actions: list) -> None:
    """Edit a token as of its loaded version; label "token"."""
    tx = Tx()
    tx.update("token", token, actions, TokenItem.user_id == token.user_id, versioned=True)
    tx.commit()


def delete_token(user: ChargingUserItem, token: TokenItem) -> None:
    tx = Tx()
    tx.delete("token", token, TokenItem.user_id == user.user_id)
    tx.update("user", user, [ChargingUserItem.token_count.add(-1)], ChargingUserItem.user_id.exists())
    tx.commit()


def save_user_group(group: UserGroupItem, actions: list | None, moves: list[tuple[ChargingUserItem, list]], groups: dict, delta: Counter) -> None:
    """Create (`actions` None) or edit a user group with its membership moves, in one transaction.

    Each move updates a user as of its loaded version; labels "user_group", "user:<id>", "group:<id>".
    """
    tx = Tx()
    if actions is None:
        tx.put("user_group", group, UserGroupItem.user_group_id.does_not_exist())
    else:
        tx.update("user_group", group, actions, UserGroupItem.user_group_id.exists(), versioned=True)
    for user, user_actions in moves:
        tx.update(f"user:{user.user_id}", user, user_actions, ChargingUserItem.user_id.exists(), versioned=True)
    member_change(tx, groups, delta)
    tx.commit()


def delete_user_group(group: UserGroupItem) -> None:
    """Delete a user group only while it has no members; label "user_group"."""
    tx = Tx()
    tx.delete("user_group", group, UserGroupItem.member_count == 0)
    tx.commit()

