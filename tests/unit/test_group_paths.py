"""Pure rules of the group tree and station identifiers: path rebasing, tags of a transaction's items."""

from __future__ import annotations

import pytest

from chalicelib.domain.stations import FORBIDDEN_CHARACTERS, INVALID_IDENTIFIER, identifier_problem
from chalicelib.storage.group_moves import Tx, rebased


def test_rebasing_keeps_the_part_below_the_moved_group():
    # Given a station two levels under the moved group /r/a/
    # When /r/a/ moves under /r/b/
    # Then its path keeps the part below the moved group
    assert rebased("/r/a/x/y/", "/r/a/", "/r/b/a/") == "/r/b/a/x/y/"
    assert rebased("/r/a/", "/r/a/", "/r/b/a/") == "/r/b/a/"


def test_charging_users_group_rights_survive_a_move():
    moved = rebased("/r/a/x/", "/r/a/", "/r/b/a/")
    assert "/a/" in moved and "/x/" in moved


@pytest.mark.parametrize(
    ("identifier", "problem"),
    [
        ("acme-043211", None),
        ("EVI_00000013", None),
        ("A" * 48, None),
        ("acme/1", FORBIDDEN_CHARACTERS),
        ("a\\b", FORBIDDEN_CHARACTERS),
        ("a.b", FORBIDDEN_CHARACTERS),
        ("ö", FORBIDDEN_CHARACTERS),
        ("", INVALID_IDENTIFIER),
        (None, INVALID_IDENTIFIER),
        ("A" * 49, INVALID_IDENTIFIER),
    ],
)
def test_identifier_rules(identifier, problem):
    assert identifier_problem(identifier) == problem


class _Recorder:
    def condition_check(self, *args, **kwargs):
        pass

    def delete(self, *args, **kwargs):
        pass

    def save(self, *args, **kwargs):
        pass

    def update(self, *args, **kwargs):
        pass


def test_tags_follow_the_order_pynamodb_sends_the_items_in():
    # Given items added in any order
    tx = Tx(_Recorder())
    tx.update("u1", object(), [])
    tx.save("p1", object())
    tx.check("c1", object, "key", condition=None)
    tx.delete("d1", object())
    tx.update("u2", object(), [])
    # Then the tags are in PynamoDB's order: checks, deletes, puts, updates
    assert tx.sent_order() == ["c1", "d1", "p1", "u1", "u2"]
