"""Physical tables derived from the models: one definition for moto, the local stack and CloudFormation."""

from __future__ import annotations

from pynamodb.models import Model

from chalicelib.storage.models import all_models


def table_owners() -> list[type[Model]]:
    """One model per physical table (the first registered); the others share its key schema."""
    seen: dict[str, type[Model]] = {}
    for model in all_models():
        seen.setdefault(model.Meta.table_suffix, model)
    return list(seen.values())


def _ttl_attribute(model: type[Model]) -> str | None:
    names = {
        name
        for m in all_models()
        if m.Meta.table_suffix == model.Meta.table_suffix
        for name, attr in m.get_attributes().items()
        if type(attr).__name__ == "TTLAttribute"
    }
    if len(names) > 1:
        raise ValueError(f"table {model.Meta.table_suffix} has more than one TTL attribute: {names}")
    return next(iter(names), None)


def _projection(projection: dict) -> dict:
    out = {"ProjectionType": projection["ProjectionType"]}
    if projection.get("NonKeyAttributes"):
        out["NonKeyAttributes"] = sorted(projection["NonKeyAttributes"])
    return out


def _hash_first(key: dict) -> bool:
    return key["KeyType"] != "HASH"


def _attribute_definitions(schema: dict) -> list[dict]:
    found = {a["AttributeName"]: a["AttributeType"] for a in schema["attribute_definitions"]}
    for index in schema.get("global_secondary_indexes") or []:
        for a in index.get("attribute_definitions", []):
            found[a["AttributeName"]] = a["AttributeType"]
    return [{"AttributeName": k, "AttributeType": v} for k, v in found.items()]


def create_all_tables(wait: bool = False) -> None:
    """Create every table that does not exist yet (local stack and tests) and switch on its TTL."""
    import chalicelib.storage.models  # noqa: F401  (registers the models)

    for model in table_owners():
        if model.exists():
            _add_missing_indexes(model)  # a data folder written before an index was added (local stack)
        else:
            model.create_table(wait=wait, billing_mode="PAY_PER_REQUEST")
            ttl = _ttl_attribute(model)
            if ttl:
                model._get_connection().connection.client.update_time_to_live(
                    TableName=model.Meta.table_name,
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl},
                )


def _add_missing_indexes(model: type[Model]) -> None:
    """Create the model's global secondary indexes the existing table lacks (DynamoDB backfills them)."""
    client = model._get_connection().connection.client
    table = client.describe_table(TableName=model.Meta.table_name)["Table"]
    have = {g["IndexName"] for g in table.get("GlobalSecondaryIndexes") or []}
    definition = table_definitions()[model.Meta.table_suffix]
    for index in definition.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] in have:
            continue
        keys = {k["AttributeName"] for k in index["KeySchema"]}
        attributes = [a for a in definition["AttributeDefinitions"] if a["AttributeName"] in keys]
        client.update_table(TableName=model.Meta.table_name, AttributeDefinitions=attributes,
                            GlobalSecondaryIndexUpdates=[{"Create": index}])


def table_definitions() -> dict[str, dict]:
    """CloudFormation AWS::DynamoDB::Table properties per table suffix, from the models."""
    import chalicelib.storage.models  # noqa: F401

    out: dict[str, dict] = {}
    for model in table_owners():
        schema = model._get_schema()
        props: dict = {
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": sorted(
                _attribute_definitions(schema), key=lambda a: a["AttributeName"]
            ),
            "KeySchema": [
                {"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]}
                for k in sorted(schema["key_schema"], key=_hash_first)
            ],
        }
        gsis = schema.get("global_secondary_indexes") or []
        if gsis:
            props["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": g["index_name"],
                    "KeySchema": [
                        {"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]}
                        for k in sorted(g["key_schema"], key=_hash_first)
                    ],
                    "Projection": _projection(g["projection"]),
                }
                for g in gsis
            ]
        ttl = _ttl_attribute(model)
        if ttl:
            props["TimeToLiveSpecification"] = {"AttributeName": ttl, "Enabled": True}
        out[model.Meta.table_suffix] = props
    return out
