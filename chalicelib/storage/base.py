"""Binding of every PynamoDB model to its table name, region and endpoint."""

from __future__ import annotations

from pynamodb.connection import Connection
from pynamodb.connection.base import MetaTable
from pynamodb.models import Model

from chalicelib import aws, botocore_speed
from chalicelib.settings import get_settings
from chalicelib.storage.errors import unavailability_translated

_MODELS: list[type[Model]] = []


class SharedConnectionModel(Model):
    """A Model whose table connection uses the process-wide botocore client.

    PynamoDB gives every model class a connection with its own botocore session and client; each
    costs 40-65 ms of CPU on first use in a cold Lambda. Sharing one keeps a cold frame cheap.
    """

    @classmethod
    def _get_connection(cls):
        table = super()._get_connection()
        shared = connection()
        if table.connection is not shared:
            _share_meta_table(shared, table.connection.get_meta_table(table.table_name))
            table.connection = shared
        return table


# The lists of a table's metadata that models of one table each declare in part, by their entries' key.
_META_LISTS = {"GlobalSecondaryIndexes": "IndexName", "LocalSecondaryIndexes": "IndexName", "AttributeDefinitions": "AttributeName"}


def _share_meta_table(shared: Connection, meta: MetaTable) -> None:
    """Register a model's view of its table on the shared connection; a later model of the same table
    adds the indexes it declares. (Kept as the first model registered it, a Query on an index of the
    second, e.g. the commands table's `due` of CommandItem after a QueuedCommandItem, was refused.)"""
    try:
        shared.add_meta_table(meta)
        return
    except ValueError:
        known = shared.get_meta_table(meta.table_name).data
    for name, key in _META_LISTS.items():
        entries = known.setdefault(name, [])
        present = {entry[key] for entry in entries}
        entries.extend(entry for entry in meta.data.get(name) or [] if entry[key] not in present)


class BaseMeta:
    """Filled in by `bind`; a model's own Meta subclasses this and names its table."""

    table_suffix = ""
    billing_mode = "PAY_PER_REQUEST"
    region = "eu-west-1"
    host = None
    table_name = ""
    max_retry_attempts = 3


def register(model: type[Model]) -> type[Model]:
    """Class decorator: bind the model now and rebind it whenever the settings change."""
    _MODELS.append(model)
    _bind_one(model)
    return model


def _bind_one(model: type[Model]) -> None:
    settings = get_settings()
    meta = model.Meta
    meta.table_name = settings.table_prefix + meta.table_suffix
    meta.region = settings.region
    meta.host = settings.dynamodb_endpoint
    # PynamoDB caches its connection on the class; drop it so the new endpoint is used.
    model._connection = None


def rebind() -> None:
    """Re-read the settings (tests, local stack) and point every model at them."""
    global _connection
    get_settings.cache_clear()
    aws.reset()
    _connection = None
    for model in _MODELS:
        _bind_one(model)


def all_models() -> list[type[Model]]:
    return list(_MODELS)


class _SharedSessionConnection(Connection):
    """PynamoDB's connection on chalicelib.aws's botocore session (PynamoDB would make one per thread)."""

    @property
    def session(self):
        return aws.session()

    @property
    def client(self):
        known = self._client
        if known is None:
            with aws.creating():
                current = super().client
        else:
            current = super().client  # PynamoDB makes a new client when the old one lost its credentials
        if current is not known:
            botocore_speed.install(current)
        return current


# Every DynamoDB operation on items that models, tables and transactions reach: failures after retries
# leave as chalicelib.ports.errors.StorageUnavailable (storage/errors.py), the one type the edges map.
# DescribeTable is left alone: Model.exists() and table creation read its TableDoesNotExist.
for _operation in (
    "get_item",
    "put_item",
    "update_item",
    "delete_item",
    "query",
    "scan",
    "batch_get_item",
    "batch_write_item",
    "transact_write_items",
    "transact_get_items",
):
    setattr(_SharedSessionConnection, _operation, unavailability_translated(getattr(Connection, _operation)))


_connection: Connection | None = None


def connection() -> Connection:
    """The process's one PynamoDB connection (models and transactions), bound like the models."""
    global _connection
    settings = get_settings()
    if _connection is None or _connection.host != settings.dynamodb_endpoint:
        _connection = _SharedSessionConnection(region=settings.region, host=settings.dynamodb_endpoint)
    return _connection


def transact_write():
    from pynamodb.transactions import TransactWrite

    return TransactWrite(connection=connection())


def get_each(wanted: dict[type[Model], dict], consistent: tuple[type[Model], ...] = ()) -> dict[type[Model], Model]:
    """At most one item of each model by its raw key, all in one BatchGetItem (models of distinct tables;
    `consistent` ones read strongly consistent); models whose item does not exist are left out."""
    from pynamodb.connection.base import BOTOCORE_EXCEPTIONS
    from pynamodb.exceptions import GetError

    tables = {model.Meta.table_name: model for model in wanted}
    assert len(tables) == len(wanted), "one model per table"
    request = {
        model.Meta.table_name: {"Keys": [key], **({"ConsistentRead": True} if model in consistent else {})}
        for model, key in wanted.items()
    }
    found: dict[type[Model], Model] = {}
    try:
        while request:
            answer = connection().dispatch("BatchGetItem", {"RequestItems": request})
            for table, items in answer.get("Responses", {}).items():
                for raw in items:
                    found[tables[table]] = tables[table].from_raw_data(raw)
            request = answer.get("UnprocessedKeys") or {}
    except BOTOCORE_EXCEPTIONS as exc:
        raise GetError("Failed to batch get items", exc) from exc
    return found
