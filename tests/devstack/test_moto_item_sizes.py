"""devstack/moto_items.py's item sizes, answer conversion and index projections are moto's own, value for value."""

from __future__ import annotations

import pytest
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import GlobalSecondaryIndex
from moto.dynamodb.models.utilities import dynamo_to_dict as moto_dynamo_to_dict

from devstack import moto_items

ITEMS = [
    {"pk": {"S": "ACME"}, "n": {"N": "12.50"}, "t": {"S": "2026-11-26T10:00:00.000000+0000"}},
    {"pk": {"S": "Ödön"}, "n": {"N": "1"}},  # a non-ASCII text: bytes, not characters
    {"pk": {"S": "a"}, "näme": {"S": "x"}},  # a non-ASCII name
    {"pk": {"S": "a"}, "b": {"B": "AAEC"}, "l": {"L": [{"S": "x"}, {"N": "2"}]}, "m": {"M": {"k": {"BOOL": True}}}},
    {"pk": {"S": "a"}, "ss": {"SS": ["x", "yy"]}, "z": {"NULL": True}},
    {"pk": {"S": ""}},
]


def _item(attrs: dict) -> Item:
    return Item(DynamoType(attrs["pk"]), None, attrs)


@pytest.mark.parametrize("attrs", ITEMS)
def test_item_size_and_conversion_are_moto_s(attrs):
    item = _item(attrs)
    assert moto_items.item_size(item) == Item.size(item)
    converted = moto_items.dynamo_to_dict(item.attrs)
    assert converted == moto_dynamo_to_dict(item.attrs)
    plain = all(set(value) <= {"S", "N"} for value in attrs.values())  # the serializer then checks no value again
    assert type(converted) is (moto_items._PlainItem if plain else dict)


@pytest.mark.parametrize("projection", [
    {"ProjectionType": "KEYS_ONLY"}, {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["n", "l"]},
    {"ProjectionType": "ALL"}, None,
])
def test_an_index_projection_is_moto_s(projection):
    index = GlobalSecondaryIndex("by-t", [{"AttributeName": "t", "KeyType": "HASH"}], projection, ["pk"])
    for attrs in ITEMS:
        item = _item({**attrs, "t": {"S": "when"}})
        ours, theirs = moto_items.index_project(index, item), GlobalSecondaryIndex.project(index, item)
        assert list(ours.attrs.items()) == list(theirs.attrs.items())
        converted = moto_items.dynamo_to_dict(ours.attrs)  # made with the projection when every value is S or N
        assert list(converted.items()) == list(moto_dynamo_to_dict(theirs.attrs).items())
        assert converted is not moto_items.dynamo_to_dict(ours.attrs)  # a fresh map each time, as moto's


def test_a_projected_item_changed_after_its_projection_converts_as_changed():
    index = GlobalSecondaryIndex("by-t", [{"AttributeName": "t", "KeyType": "HASH"}],
                                 {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["n"]}, ["pk"])
    changes = [
        lambda attrs: attrs.__setitem__("n", DynamoType({"N": "2"})),
        lambda attrs: attrs.update({"x": DynamoType({"S": "new"})}),
        lambda attrs: attrs.pop("n"),
        lambda attrs: attrs.__delitem__("t"),
        lambda attrs: attrs.setdefault("y", DynamoType({"BOOL": True})),
        lambda attrs: attrs.clear(),
    ]
    for change in changes:
        projected = moto_items.index_project(index, _item({**ITEMS[0], "t": {"S": "when"}}))
        change(projected.attrs)
        assert moto_items.dynamo_to_dict(projected.attrs) == moto_dynamo_to_dict(dict(projected.attrs))
