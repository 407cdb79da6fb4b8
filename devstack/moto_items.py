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
  values moto would rebuild; nested paths stay moto's.
"""

from __future__ import annotations

from decimal import Decimal

from moto.core.serialize import JSONSerializer
from moto.dynamodb.models.dynamo_type import DynamoType, Item

_ATTRIBUTE_VALUE_MEMBERS = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"}
_moto_cast_value = DynamoType.__dict__["cast_value"].fget  # taken at import, before fast_dynamodb patches
_moto_serialize_structure = JSONSerializer._serialize_type_structure
_moto_project = Item.project


def new_item(cls: type[Item], *args, **kwargs) -> Item:
    """BaseModel.__new__ without `cls.instances_tracked.append(instance)`."""
    return object.__new__(cls)


def project(self: Item, projection_expressions: list[list[str]]) -> Item:
    if any(len(path) != 1 for path in projection_expressions):
        return _moto_project(self, projection_expressions)
    names = dict.fromkeys(path[0] for path in projection_expressions)
    attrs = {name: self.attrs[name].to_json() for name in names if name in self.attrs}
    return Item(hash_key=self.hash_key, range_key=self.range_key, attrs=attrs)


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
