"""Query cost proportional to the partition, not the table, in the local stack's moto.

moto 5.2.5 starts every Query from `Table.all_items()`, which collects and sorts every item of the table,
then keeps the partition (base table) or the items whose index hash key matches (GSI/LSI, found by reading
every item) and sorts those again: over a million items that is seconds per Query. Here the Query is
still moto's own `Table.query` (ordering, paging, limits, filters, projections), but for the time of one
Query `all_items()` answers only the candidates moto would keep, already in the order its sort gives them:

- base table: the partition `items[hash_key]`, sorted by range key (cached per partition, dropped when a
  write adds, replaces or removes one of its items; moto then re-sorts a sorted list, a linear pass);
- index: the items whose index hash key equals the Query's, from a per-table, per-index map hash -> items
  sorted by moto's index sort key; moto's own sort of them (`sorted_items`) is then skipped. The map is
  built at the first Query on the index (one pass over the table) and kept exact by every write after:
  the written item is taken out where its attributes had filed it, read before the write (UpdateItem
  changes attributes in place), and filed again as it is after. Dropping the map at each write and
  rebuilding it lazily was measured too: the next Query then costs a pass over the table (0.25 s at
  100,000 items, 2.4 s at a million, no better than moto's own Query), against 0.2 ms for a map kept up
  to date, which costs about 25 us more per write.

Within those candidates moto would still walk every one for every page (skipping earlier pages item by
item, testing the range condition on each): O(n) per page, O(n^2) to read a partition or index key through.
devstack/query_window.py cuts, by bisection, the few candidates moto's loop reaches before it stops.

The pre-sorting compares the values moto compares (`cast_value`: the string, or the number as a Decimal),
so it is only used where each key attribute has one type, S or N, in the candidates; anything else
(other key types, a hash condition not on exactly the index's hash key, an unknown index) runs moto's
original Query untouched. Writes that bypass moto's write paths (`Table.put_item`, `Table.delete_item`,
`DynamoDBBackend.update_item`; transactions, batches and PartiQL end in those; a failed transaction puts
back deep copies of its tables, whose caches start empty) must call `invalidate`.

Per-item and per-value costs go too, with the same results (devstack/moto_items.py): the Items moto
creates for each answer are no longer all kept for its dashboard, `DynamoType.cast_value` answers S and N
first, and the JSON serializer writes DynamoDB's AttributeValue {type: value} dicts without its generic
attribute picker (about 0.1 ms per value returned). TransactWriteItems no longer deep-copies the tables
it names (devstack/moto_transactions.py): a rollback puts back copies of the named items only. An
UpdateExpression is parsed once per text, and its validation walks the tree without moto's per-node
overheads (devstack/moto_expressions.py); the validation's checks that depend on the expression and its
names alone are made once per expression (devstack/moto_validation.py). S3's CompleteMultipartUpload joins the parts into a file, not
memory (devstack/s3_multipart.py).

Installed by devstack.aws while the embedded moto serves and removed at its stop, so tests' plain
`mock_aws` keep moto as shipped; equivalence: tests/devstack/test_fast_dynamodb.py.
"""

from __future__ import annotations

import logging
import threading
from bisect import bisect_left
from collections import Counter
from decimal import Decimal
from typing import Any

import moto
import moto.core.responses as moto_core_responses
import moto.dynamodb.models as moto_dynamodb_models
import moto.dynamodb.models.table as moto_table_module
import moto.dynamodb.parsing.validators as moto_validators
import moto.dynamodb.responses as moto_dynamodb_responses
from moto.core.responses import BaseResponse
from moto.core.serialize import JSONSerializer
from moto.dynamodb.comparisons import ConditionExpressionParser
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import GlobalSecondaryIndex, SecondaryIndex, Table
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Node
from moto.dynamodb.parsing.expressions import UpdateExpressionParser
from moto.dynamodb.parsing.validators import UpdateExpressionValidator
from moto.s3.models import S3Backend

from devstack import moto_expressions, moto_items, moto_transactions, moto_validation, query_window, s3_multipart

log = logging.getLogger("devstack.fast_dynamodb")

TESTED_MOTO = {"5.2.5"}  # the equivalence test ran against these; any other version keeps moto as shipped
_ATTR = "_devstack_query_cache"
_FAST_TYPES = ("S", "N")

_lock = threading.Lock()
_installed = 0
_epoch = 0  # bumped at each install: caches built before (when writes were not tracked) are void
_current = threading.local()  # .plan = (table, candidates, sort attrs or None) during one Query
plans: Counter[str] = Counter()  # Queries by path taken ("partition", "index", "moto"): for tests and profiling


class _Cache:
    """One table's sorted partitions and index maps. A deep copy (moto's transaction snapshot, a backup)
    starts empty rather than copying lists that would point at the original's items."""

    __slots__ = ("epoch", "partitions", "indexes")

    def __init__(self) -> None:
        self.epoch = _epoch
        self.partitions: dict[Any, _Bucket | None] = {}  # hash key -> items sorted by range key (None: use moto)
        self.indexes: dict[str, _IndexMap] = {}

    def __deepcopy__(self, memo: dict) -> _Cache:
        return _Cache()


class _Lost(Exception):
    """An index map no longer knows where an item is filed: it is dropped and rebuilt at the next Query."""


class _Bucket:
    """The items of one index hash key, sorted by their native sort keys (`keys`, in step with `items`).
    `types` are the sort attributes' types, the same for every item; None: mixed, left to moto."""

    __slots__ = ("keys", "items", "types", "ordered")

    def __init__(self, types: tuple | None) -> None:
        self.keys: list[tuple] = []
        self.items: list = []
        self.types = types
        self.ordered = True

    def order(self) -> None:
        if not self.ordered:
            order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
            self.keys = [self.keys[i] for i in order]
            self.items = [self.items[i] for i in order]
            self.ordered = True


class _IndexMap:
    """Every item having all the key attributes of one index, by the tuple of its hash key values, kept
    exact through the tracked writes (each removes the item where its attributes had filed it, then files
    it again). Sort keys end with the table's key, so they are unique and the order is the items' own."""

    def __init__(self, table: Table, index: Any) -> None:
        self.index = index
        self.schema = [dict(key) for key in index.schema]
        self.hash_names = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
        self.sort_attrs = _sort_attrs(table, index)
        self.needed = set(self.sort_attrs) | set(self.hash_names)
        self.buckets: dict[tuple, _Bucket] = {}
        self.usable = True
        try:
            for item in _every_item(table):
                self.add(item, self.entry(item), building=True)
        except TypeError:  # a key value moto cannot hash (a map, a list): leave this index to moto
            self.usable = False

    def current(self, index: Any) -> bool:
        return index is self.index and self.schema == index.schema

    def entry(self, item: Item | None) -> tuple | None:
        """(bucket key, sort attribute types, native sort key or None) for the item's present attributes."""
        if item is None or not item.attrs.keys() >= self.needed:
            return None
        attrs = item.attrs
        values = [attrs[name] for name in self.sort_attrs]
        types = tuple(value.type for value in values)
        native = tuple(map(_native, values)) if set(types).issubset(_FAST_TYPES) else None
        return tuple(_hashable(attrs[name]) for name in self.hash_names), types, native

    def add(self, item: Item, entry: tuple | None, building: bool = False) -> None:
        if entry is None:
            return
        key, types, native = entry
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = _Bucket(types)
        if bucket.types is None:
            return
        if native is None or types != bucket.types:
            bucket.types, bucket.keys, bucket.items = None, [], []
        elif building:
            bucket.keys.append(native)
            bucket.items.append(item)
            bucket.ordered = False
        else:
            bucket.order()
            at = bisect_left(bucket.keys, native)
            if at < len(bucket.keys) and bucket.keys[at] == native:
                bucket.items[at] = item  # the same table key, filed again (UpdateItem creating an item)
            else:
                bucket.keys.insert(at, native)
                bucket.items.insert(at, item)

    def remove(self, item: Item, entry: tuple | None) -> None:
        if entry is None:
            return
        key, _types, native = entry
        bucket = self.buckets.get(key)
        if bucket is None or bucket.types is None:
            return
        bucket.order()
        at = bisect_left(bucket.keys, native)
        if at == len(bucket.keys) or bucket.keys[at] != native or bucket.items[at] is not item:
            raise _Lost
        del bucket.keys[at], bucket.items[at]

    def candidates(self, key: tuple) -> _Bucket | None:
        """The bucket in moto's index order; None when its sort key types are mixed or not S/N."""
        bucket = self.buckets.get(key)
        if bucket is None:
            return _Bucket(())
        if bucket.types is None:
            return None
        bucket.order()
        return bucket


def _every_item(table: Table):
    for partition in table.items.values():
        if table.range_key_attr:
            yield from partition.values()
        else:
            yield partition


def _native(value: DynamoType) -> Any:
    """What DynamoType compares (cast_value) for the two types sorted here: the string, the number as a Decimal."""
    return value.value if value.type == "S" else Decimal(value.value)


def _hashable(value: DynamoType) -> tuple:
    """DynamoType equality (same type, equal cast_value) as a plain tuple, cheaper to hash than DynamoType."""
    if value.type in _FAST_TYPES:
        return value.type, _native(value)
    return value.type, value.cast_value  # TypeError for sets, lists and maps when hashed


def _sort_attrs(table: Table, index: Any) -> list[str]:
    """The attributes moto's index Query sorts by (its hash_attrs/range_attrs, as Table.query builds them).
    Checked again at each Query against moto's own list (in _sorted_items): a mismatch only costs moto's sort."""
    hash_keys = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
    range_keys: list[str | None] = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
    if not range_keys:
        is_gsi = isinstance(index, GlobalSecondaryIndex)
        range_keys = [table.range_key_attr if is_gsi and table.range_key_attr else table.hash_key_attr]
    return table._generate_attr_to_sort_by(hash_keys + [table.hash_key_attr], range_keys + [table.range_key_attr])


def _cache(table: Table) -> _Cache:
    cache = table.__dict__.get(_ATTR)
    if cache is None or cache.epoch != _epoch:
        cache = table.__dict__[_ATTR] = _Cache()
    return cache


def invalidate(table: Table, hash_key: DynamoType | None = None) -> None:
    """After a write past moto's write paths to `table` (all of it, or the partition `hash_key`):
    the index maps and that partition's order are dropped, rebuilt at the next Query."""
    cache = table.__dict__.get(_ATTR)
    if cache is None:
        return
    cache.indexes.clear()
    if hash_key is None:
        cache.partitions.clear()
        return
    try:
        cache.partitions.pop(hash_key, None)
    except TypeError:  # an unhashable key was never cached, but be thorough
        cache.partitions.clear()


def _stored(table: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
    partition = table.items.get(hash_key)  # .get: the defaultdict must not grow an empty partition
    if table.range_key_attr:
        return partition.get(range_key) if isinstance(partition, dict) and range_key is not None else None
    return partition if isinstance(partition, Item) else None


def _tracked(table: Table, key: Any, write: Any) -> Any:
    """Run one write to the item at `key` (a thunk giving (hash, range)), keeping the caches exact: the
    item is taken out of each index map where its attributes filed it, and filed again as it is after."""
    cache = table.__dict__.get(_ATTR)
    if cache is None or cache.epoch != _epoch or getattr(_current, "writing", False):
        return write()  # nothing cached yet, or inside an outer tracked write (UpdateItem's own PutItem)
    try:
        hash_key, range_key = key()
        before = _stored(table, hash_key, range_key)
        for name in [name for name, m in cache.indexes.items() if not m.usable]:
            del cache.indexes[name]  # rebuilt at the next Query: the write may have made it usable
        maps = list(cache.indexes.values())
        located = [(m, m.entry(before)) for m in maps] if before is not None else []
    except Exception:  # an unreadable key: moto will refuse the write; forget everything anyway
        invalidate(table)
        return write()
    _current.writing = True
    try:
        return write()
    finally:
        _current.writing = False
        try:
            after = _stored(table, hash_key, range_key)
            if after is not before:
                cache.partitions.pop(hash_key, None)
            for mapped, entry in located:
                mapped.remove(before, entry)
            for mapped in maps if after is not None else ():
                mapped.add(after, mapped.entry(after))
        except Exception:  # _Lost, or a value moto cannot hash: start again from the table
            cache.indexes.clear()
            cache.partitions.clear()


# --- the plan of one Query ---------------------------------------------------------------------------------
def _partition_plan(table: Table, hash_key: DynamoType | None) -> _Bucket | None:
    """The partition sorted by range key, its keys (hash, range) native: what moto's ExclusiveStartKey test reads."""
    if hash_key is None:
        return None
    cache = _cache(table)
    try:
        if hash_key in cache.partitions:
            return cache.partitions[hash_key]
    except TypeError:
        return None
    partition = table.items.get(hash_key)  # .get: the defaultdict must not grow an empty partition
    bucket: _Bucket | None = _Bucket(())
    if partition is None:
        pass
    elif table.range_key_attr:
        values = list(partition.values())
        types = {item.range_key.type for item in values}
        fast = len(types) <= 1 and types.issubset(_FAST_TYPES) and hash_key.type in _FAST_TYPES
        if fast:  # else moto's order rests on its own comparisons
            bucket = _Bucket((hash_key.type, *types))
            bucket.keys = [(_native(hash_key), _native(item.range_key)) for item in values]
            bucket.items = values
            bucket.ordered = False
            bucket.order()
        else:
            bucket = None
    elif isinstance(partition, Item):
        bucket.items = [partition]  # no range key: a window is never needed (types stay ())
    else:
        bucket = None
    cache.partitions[hash_key] = bucket
    return bucket


def _index_plan(table: Table, index_name: str, hash_conditions: list | None) -> tuple[_Bucket, _IndexMap] | None:
    index = next((i for i in table.all_indexes() if i.name == index_name), None)
    if index is None or not hash_conditions:
        return None
    cache = _cache(table)
    mapped = cache.indexes.get(index_name)
    if mapped is None or not mapped.current(index):
        mapped = cache.indexes[index_name] = _IndexMap(table, index)
    conditions = dict(hash_conditions)  # as moto reads them: the last condition on a name wins
    if not mapped.usable or set(conditions) != set(mapped.hash_names):
        return None
    try:
        bucket = mapped.candidates(tuple(_hashable(conditions[name]) for name in mapped.hash_names))
    except TypeError:
        return None
    return None if bucket is None else (bucket, mapped)


def _window(bucket: _Bucket, sort_attrs: list[str], constant: int, query: dict) -> list:
    """The candidates moto's loop would reach (devstack/query_window.py), or all of them."""
    if len(bucket.types) != len(sort_attrs) or not bucket.items:
        return bucket.items
    window = query_window.for_query(bucket.keys, bucket.items, sort_attrs, bucket.types, constant, query)
    plans["window" if window is not None else "whole"] += 1
    return window if window is not None else bucket.items


def _plan_for(table: Table) -> tuple | None:
    plan = getattr(_current, "plan", None)
    return plan if plan is not None and plan[0] is table else None


# --- the patched methods -----------------------------------------------------------------------------------
def _query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
           projection_expressions, index_name=None, consistent_read=False, filter_expression=None,
           hash_key_conditions=None, range_key_conditions=None, **filter_kwargs):
    query = {"range_comparison": range_comparison, "range_objs": range_objs, "limit": limit,
             "exclusive_start_key": exclusive_start_key, "scan_index_forward": scan_index_forward,
             "index_name": index_name, "range_key_conditions": range_key_conditions, "filter_kwargs": filter_kwargs}
    with moto_items.sharing():
        _current.plan = _plan(self, hash_key, index_name, hash_key_conditions, query)
        try:
            return _original(Table, "query")(
                self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                projection_expressions, index_name, consistent_read, filter_expression,
                hash_key_conditions=hash_key_conditions, range_key_conditions=range_key_conditions, **filter_kwargs,
            )
        finally:
            _current.plan = None


def _plan(table: Table, hash_key, index_name: str | None, hash_key_conditions, query: dict) -> tuple | None:
    """(table, the candidates in moto's order, the index's sort attributes or None), or None: moto's own."""
    candidates, sort_attrs = None, None
    if index_name:
        plan = _index_plan(table, index_name, hash_key_conditions)
        if plan is not None:
            bucket, mapped = plan
            candidates, sort_attrs = _window(bucket, mapped.sort_attrs, len(mapped.hash_names), query), mapped.sort_attrs
    else:
        bucket = _partition_plan(table, hash_key)
        if bucket is not None:
            candidates = _window(bucket, [table.hash_key_attr, table.range_key_attr], 1, query)
    plans["moto" if candidates is None else "index" if index_name else "partition"] += 1
    return (table, candidates, sort_attrs) if candidates is not None else None


def _all_items(self):
    plan = _plan_for(self)
    return list(plan[1]) if plan is not None else _original(Table, "all_items")(self)


def _sorted_items(self, hash_key_attrs, range_key_attrs, items):
    plan = _plan_for(self)
    if plan is not None and plan[2] == self._generate_attr_to_sort_by(hash_key_attrs, range_key_attrs):
        return items  # a subsequence of the pre-sorted candidates: already in this order
    return _original(Table, "sorted_items")(self, hash_key_attrs, range_key_attrs, items)


def _put_item(self, item_attrs, *args, **kwargs):
    def key():
        return (DynamoType(item_attrs[self.hash_key_attr]),
                DynamoType(item_attrs[self.range_key_attr]) if self.range_key_attr else None)

    return _tracked(self, key, lambda: _original(Table, "put_item")(self, item_attrs, *args, **kwargs))


def _delete_item(self, hash_key, range_key):
    return _tracked(self, lambda: (hash_key, range_key),
                    lambda: _original(Table, "delete_item")(self, hash_key, range_key))


def _update_item(self, table_name, key, *args, **kwargs):
    def write():
        return _original(DynamoDBBackend, "update_item")(self, table_name, key, *args, **kwargs)

    try:
        table = self.get_table(table_name)
    except Exception:  # moto's own error, from moto's own call
        return write()

    def located():  # as DynamoDBBackend.update_item reads the key
        if table.hash_key_attr in key and table.range_key_attr in key:
            return DynamoType(key[table.hash_key_attr]), DynamoType(key[table.range_key_attr])
        return DynamoType(key[table.hash_key_attr] if table.hash_key_attr in key else key), None

    return _tracked(table, located, write)


# --- install / uninstall -----------------------------------------------------------------------------------
_PATCHES: dict[tuple[Any, str], Any] = {
    (Table, "query"): _query,
    (Table, "all_items"): _all_items,
    (Table, "sorted_items"): _sorted_items,
    (Table, "put_item"): _put_item,
    (Table, "delete_item"): _delete_item,
    (DynamoDBBackend, "update_item"): _update_item,
    (DynamoDBBackend, "transact_write_items"): moto_transactions.patched(
        _stored, _tracked, lambda: _original(DynamoDBBackend, "transact_write_items")
    ),
    (moto_dynamodb_models, "copy"): moto_transactions.CopyModule(),
    (Item, "__new__"): staticmethod(moto_items.new_item),
    (Item, "project"): moto_items.project,
    (SecondaryIndex, "project"): moto_items.index_project,
    (DynamoType, "cast_value"): property(moto_items.cast_value),
    (JSONSerializer, "_serialize_type_structure"): moto_items.serialize_type_structure,
    (JSONSerializer, "_serialize_type_map"): moto_items.serialize_type_map,
    (JSONSerializer, "_serialize_type_list"): moto_items.serialize_type_list,
    (S3Backend, "complete_multipart_upload"): s3_multipart.complete_multipart_upload,  # S3's, not DynamoDB's
    (DynamoType, "size"): moto_items.size,
    (Item, "size"): moto_items.item_size,
    (moto_dynamodb_responses, "dynamo_to_dict"): moto_items.dynamo_to_dict,
    (moto_table_module, "copy"): moto_items.TableCopyModule(),
    (BaseResponse, "_enrich_response"): staticmethod(moto_items.enrich_response),
    (UpdateExpressionParser, "make"): classmethod(moto_expressions.make),
    (moto_validators, "deepcopy"): moto_expressions.deepcopy,
    (DepthFirstTraverser, "traverse"): moto_expressions.traverse,
    (Node, "find_clauses"): moto_expressions.find_clauses,
    (UpdateExpressionValidator, "__init__"): moto_validation.init,
    (UpdateExpressionValidator, "validate"): moto_validation.validate,
    (moto_core_responses, "method_names_from_class"): moto_items.method_names_from_class,
    (moto_core_responses, "gen_amzn_requestid_long"): moto_items.request_id,
    (ConditionExpressionParser, "_lex_condition_expression"): moto_expressions.lex_condition_expression,
}
_saved: dict[tuple[Any, str], tuple[bool, Any]] = {}  # (the class's own attribute?, what it was before)


def _original(owner: Any, name: str) -> Any:
    return _saved[(owner, name)][1]


def install() -> bool:
    """Patch moto (reference counted: nested local stacks share one install). False: moto left as is."""
    global _installed, _epoch
    if moto.__version__ not in TESTED_MOTO:
        log.warning("moto %s is not one of %s: Queries keep moto's full-table path", moto.__version__, TESTED_MOTO)
        return False
    with _lock:
        _installed += 1
        if _installed == 1:
            _epoch += 1
            for (owner, name), patch in _PATCHES.items():
                own = name in owner.__dict__
                found = owner.__dict__[name] if own else getattr(owner, name)
                _saved[(owner, name)] = (own, found)  # not own: inherited, restored by delattr
                setattr(owner, name, patch)
    return True


def uninstall() -> None:
    global _installed
    with _lock:
        if _installed == 0:
            return
        _installed -= 1
        if _installed == 0:
            for owner, name in _PATCHES:
                own, found = _saved.pop((owner, name))
                if own:
                    setattr(owner, name, found)
                else:
                    delattr(owner, name)
            moto_expressions.clear()
            moto_items.forget()


def installed() -> bool:
    return _installed > 0
