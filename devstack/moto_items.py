"""Per-item and per-value costs of moto's DynamoDB, answers unchanged to the byte (patched in by fast_dynamodb).

- Every moto model instance registers itself in its class's `instances_tracked` list (for moto's own
  /moto-api dashboard; only mock_aws's reset empties it), and DynamoDB creates an `Item` for every item a
  Query or GetItem returns (deep copies, index projections): a server that runs for hours keeps every
  answer it ever gave, and the collector's full passes over them grow without end (seen as dashboard
  requests taking 5 to 50 ms longer, more at each pass). Items are created here without registering.
- `DynamoType.cast_value` (asked twice by every comparison of two values, keys included) tests whether the
  type is a number, a set, a list, a map or NULL before it returns a string as it is: here S and N go first.
- moto's JSON serializer reads each member of a structure through its attribute picker, which tries every
  member under several aliases; DynamoDB's AttributeValue has ten members, so each value an item holds cost
  about 0.1 ms. An AttributeValue arrives as a {type: value} dict (moto's dynamo_to_dict), whose only keys
  are member names: none of the aliases can match anything else, so `value.get` reads the same members.
  Everything else (each member's own serialization, other shapes, any response transformer) stays moto's.
- `Item.project` (an index's KEYS_ONLY or INCLUDE projection, applied to every item a Query on it returns)
  turns the whole item into plain JSON and back once per projected attribute: about 0.1 s per item of ten
  attributes. A projection of top-level names only keeps those attributes' values as they are, the same
  values moto would rebuild; nested paths stay moto's. An index's projection (`SecondaryIndex.project`)
  works its names out once per index instead of building them and their paths for every item. S and N values (a string each, never changed in
  place: a write replaces the DynamoType) are shared with the projected item instead of rebuilt, and the
  projected attributes are set without LimitedSizeDict's size check (a subset of a stored item cannot
  exceed it; the check sums every attribute at each insert).
- `DynamoType.size` and `Item.size` (every attribute of every item a Query walks, twice: moto's 1 MB page
  test) answer S and N without moto's chain of type tests, and once per item and Query (`sharing()`).
- A Query's answer: moto deep-copies the items it returns before projecting them. The local stack answers
  one request at a time (devstack/moto_app.py) and serializes the answer before the next request can write,
  and nothing on the way changes an item (projections and serialization build new objects): inside the
  patched Query (`sharing()`) the copy is the list itself.
- moto's response enrichment runs a look-behind regular expression over every answer body to replace an
  XML `<RequestId>`: about 10 ms per 320 KB Query page of JSON, which has none. A body without the tag is
  now returned as it is without the scan (the expression cannot match it).
- moto's request dispatch lists the handler class's methods (`inspect.getmembers`, every attribute of the
  class and its bases) for every request, to see whether the action is one of them: the list is kept per
  class (classes do not gain methods while the stack serves; uninstall forgets it).
- Every answer's x-amzn-requestid: moto draws its 52 letters and digits with one `random.choice` call each
  (about 0.05 ms, a sixth of a GetItem's CPU once the WSGI layers are gone, devstack/moto_dynamodb.py);
  here one `choices` call of moto's own random source draws them: an id of the same form, as random.
- `dynamo_to_dict` (the answer turned into plain dicts) and the serializer's map of AttributeValues
  (an item) take S and N values, the usual case, in one step, with the same output.
"""

from __future__ import annotations

import copy
import string
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from moto.core.responses import BaseResponse
from moto.core.serialize import JSONSerializer
from moto.core.utils import method_names_from_class as _moto_method_names
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import SecondaryIndex
from moto.dynamodb.models.utilities import dynamo_to_dict as _moto_dynamo_to_dict
from moto.moto_api._internal import mock_random

_ATTRIBUTE_VALUE_MEMBERS = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"}
_moto_cast_value = DynamoType.__dict__["cast_value"].fget  # taken at import, before fast_dynamodb patches
_moto_serialize_structure = JSONSerializer._serialize_type_structure
_moto_project = Item.project
_moto_size = DynamoType.size
_moto_serialize_map = JSONSerializer._serialize_type_map
_moto_enrich_response = BaseResponse.__dict__["_enrich_response"].__func__
_REQUEST_ID_CHARACTERS = string.ascii_letters + string.digits  # moto's get_random_string pool
_PLAIN = ("S", "N")  # a str value, serialized as it is
_PLAIN_TYPES = frozenset(_PLAIN)
_current = threading.local()  # .sharing: inside a patched Query, whose answer need not be copied


_method_names: dict[type, list[str]] = {}


def method_names_from_class(clazz: type) -> list[str]:
    """moto.core.utils.method_names_from_class, once per class (its answer is only tested with `in`)."""
    names = _method_names.get(clazz)
    if names is None:
        names = _method_names[clazz] = _moto_method_names(clazz)
    return names


def forget() -> None:
    """At uninstall: a later install lists the classes' methods afresh."""
    _method_names.clear()


def request_id(headerdict: dict | None = None) -> str:
    """moto's gen_amzn_requestid_long: a 52-character id, also set as the x-amzn-requestid header."""
    value = "".join(mock_random.choices(_REQUEST_ID_CHARACTERS, k=52))
    if isinstance(headerdict, dict):
        headerdict["x-amzn-requestid"] = value
    return value


def new_item(cls: type[Item], *args, **kwargs) -> Item:
    """BaseModel.__new__ without `cls.instances_tracked.append(instance)`."""
    return object.__new__(cls)


def project(self: Item, projection_expressions: list[list[str]]) -> Item:
    if any(len(path) != 1 for path in projection_expressions):
        return _moto_project(self, projection_expressions)
    return _projected(self, dict.fromkeys(path[0] for path in projection_expressions))


def index_project(self: SecondaryIndex, item: Item) -> Item:
    """SecondaryIndex.project with the index's attribute names worked out once per index, not per item
    (moto builds the list of names and then the list of paths for every item a Query on the index returns)."""
    known = self.__dict__.get("_devstack_names")
    if known is None or known[0] is not self.projection or known[1] is not self.schema:
        known = self._devstack_names = (self.projection, self.schema, _index_names(self))
    names = known[2]
    return item if names is None else _projected(item, names)


def _index_names(index: SecondaryIndex) -> dict | None:
    """The names SecondaryIndex.project keeps, in its order; None: it keeps the whole item (ALL, no projection)."""
    kind = index.projection.get("ProjectionType", None) if index.projection else None
    keys = index.table_key_attrs + [key["AttributeName"] for key in index.schema]
    if kind == "KEYS_ONLY":
        return dict.fromkeys(keys)
    if kind == "INCLUDE":
        return dict.fromkeys(keys + list(index.projection.get("NonKeyAttributes", [])))
    return None


def _projected(self: Item, names: dict) -> Item:
    projected = Item.__new__(Item)
    projected.hash_key, projected.range_key = self.hash_key, self.range_key
    attrs = projected.attrs = LimitedSizeDict.__new__(LimitedSizeDict)
    for name in names:
        value = self.attrs.get(name)
        if value is not None:
            shared = value.type in _PLAIN and type(value.value) is str
            dict.__setitem__(attrs, name, value if shared else DynamoType(value.to_json()))
    return projected


def enrich_response(headers: dict, body: Any) -> tuple[dict, Any]:
    if isinstance(body, str) and "<RequestId>" not in body:
        headers, _unchanged = _moto_enrich_response(headers, "")  # its header work, without the body scan
        return headers, body
    return _moto_enrich_response(headers, body)


def item_size(self: Item) -> int:
    """Item.size: S and N attributes summed inline; inside a patched Query, each item's size is taken once
    (moto asks twice per item it returns, the window once more; nothing writes during one Query)."""
    sizes = getattr(_current, "sizes", None)
    if sizes is not None:
        known = sizes.get(id(self))
        if known is not None and known[0] is self:
            return known[1]
    total = _plain_size(self.attrs)
    if total is None:
        total = _size(self.attrs)
    if sizes is not None:
        sizes[id(self)] = (self, total)
    return total


def _plain_size(attrs: dict) -> int | None:
    """An item of ASCII names and S or N values only (a report's session): names and texts counted in two
    joins, as moto counts them (a byte per ASCII character; a number's text as it is); None: anything else."""
    values = attrs.values()
    if not {value.type for value in values} <= _PLAIN_TYPES:
        return None
    try:
        texts = "".join([value.value for value in values])
    except TypeError:
        return None
    names = "".join(attrs)
    return len(names) + len(texts) if names.isascii() and texts.isascii() else None


def _size(attrs: dict) -> int:
    total = 0
    for key, value in attrs.items():
        text = value.value
        total += len(key) if key.isascii() else len(key.encode("utf-8"))
        if type(text) is str and value.type == "S":
            total += len(text) if text.isascii() else len(text.encode("utf-8"))  # an ASCII text: a byte a character
        elif type(text) is str and value.type == "N":
            total += len(text)
        else:
            total += value.size()
    return total


def size(self: DynamoType) -> int:
    if type(self.value) is str:
        if self.type == "S":
            return len(self.value.encode("utf-8"))
        if self.type == "N":
            return len(self.value)
    return _moto_size(self)


def cast_value(self: DynamoType) -> object:
    if self.type == "S":
        return self.value
    if self.type == "N":
        return Decimal(self.value)
    return _moto_cast_value(self)


def serialize_type_structure(self, serialized, value, shape, key) -> None:
    if (
        key
        and shape.name == "AttributeValue"
        and type(value) is dict
        and value.keys() <= _ATTRIBUTE_VALUE_MEMBERS
        and not getattr(self._value_picker, "response_transformers", True)
        and shape.members.keys() == _ATTRIBUTE_VALUE_MEMBERS
    ):
        # What ResponseSerializer._serialize_type_structure does, member values read without the picker.
        wrapper = self.MAP_TYPE()
        for member_key, member_shape in shape.members.items():
            member_shape.parent = shape
            member_value = value.get(member_key)
            if member_value is not None:
                self._serialize(wrapper, member_value, member_shape, member_key)
        self._default_serialize(serialized, wrapper, shape, key)
        return
    _moto_serialize_structure(self, serialized, value, shape, key)


def serialize_type_map(self, serialized, value, shape, key) -> None:
    """A map of AttributeValues (an item) whose values are all S or N strings: what moto's map and structure
    serializers build for it (member names are the keys: no serialized names on these shapes)."""
    value_shape = shape.value
    if (
        value_shape.name == "AttributeValue"
        and type(value) in (dict, _PlainItem)
        and not shape.serialization
        and not value_shape.serialization
        and not getattr(self._value_picker, "response_transformers", True)
    ):
        plain = _plain_copy(value)
        if plain is not None:
            self._default_serialize(serialized, plain, shape, key)
            return
    _moto_serialize_map(self, serialized, value, shape, key)


class _PlainItem(dict):
    """A map dynamo_to_dict made whose every value is a fresh {S|N: str} of its own: nothing to check again."""

    __slots__ = ()


def _plain_copy(value: dict) -> dict | None:
    """The map (its {S|N: str} values shared: fresh dicts of dynamo_to_dict's), or None for any other shape."""
    if type(value) is _PlainItem:
        return dict(value)
    for attribute in value.values():
        if type(attribute) is not dict or len(attribute) != 1:
            return None
        text = attribute.get("S", attribute.get("N"))
        if type(text) is not str:
            return None
    return dict(value)


def dynamo_to_dict(obj: Any) -> Any:
    """moto's dynamo_to_dict, with S and N values, items, lists and dicts of them converted in one step."""
    kind = type(obj)
    if kind is DynamoType:
        if obj.type in _PLAIN and type(obj.value) is str:
            return {obj.type: obj.value}
        return _moto_dynamo_to_dict(obj)
    if kind is dict or kind is LimitedSizeDict:  # an item: its S and N values converted inline
        converted, plain = _PlainItem(), True
        for name, value in obj.items():
            if type(value) is DynamoType and value.type in _PLAIN and type(value.value) is str:
                converted[name] = {value.type: value.value}
            else:
                converted[name], plain = dynamo_to_dict(value), False
        return converted if plain else dict(converted)
    if kind is list:
        return [dynamo_to_dict(v) for v in obj]
    return _moto_dynamo_to_dict(obj)


@contextmanager
def sharing() -> Iterator[None]:
    """Within: a deep copy of a list of Items in moto's Table module answers a new list of the same items."""
    _current.sharing, _current.sizes = True, {}
    try:
        yield
    finally:
        _current.sharing, _current.sizes = False, None


class TableCopyModule:
    """Stands for the `copy` module inside moto.dynamodb.models.table: copy's own, but for `sharing()`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: dict | None = None) -> Any:
        if getattr(_current, "sharing", False) and type(value) is list and all(type(v) is Item for v in value):
            return list(value)
        return copy.deepcopy(value, memo)
