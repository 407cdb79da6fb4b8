"""One source of truth for the tables: the models -> table_definitions() -> template and moto."""

from __future__ import annotations

import os

import boto3
import pytest
from moto import mock_aws

from chalicelib.storage.tables import table_definitions
from infrastructure.build import merge_template, stage_settings, table_logical_id

STAGES = ("dev", "prod")


def _tables_of(template: dict) -> dict[str, dict]:
    return {key: res for key, res in template["Resources"].items() if res.get("Type") == "AWS::DynamoDB::Table"}


def _key_schema(entries: list[dict]) -> list[tuple[str, str]]:
    return [(k["AttributeName"], k["KeyType"]) for k in entries]


def _gsis(entries: list[dict] | None) -> dict[str, tuple]:
    return {
        g["IndexName"]: (
            _key_schema(g["KeySchema"]),
            g["Projection"]["ProjectionType"],
            tuple(sorted(g["Projection"].get("NonKeyAttributes") or ())),
        )
        for g in entries or []
    }


def _attributes(entries: list[dict]) -> dict[str, str]:
    return {a["AttributeName"]: a["AttributeType"] for a in entries}


@pytest.mark.parametrize("stage", STAGES)
def test_template_declares_exactly_the_model_tables(stage):
    # Given the models' table definitions
    definitions = table_definitions()
    prefix = stage_settings(stage)["TablePrefix"]
    # When the build makes the merge template
    template = merge_template(stage)
    tables = _tables_of(template)
    # Then there is one table per definition, named prefix + suffix, with the same properties
    assert set(tables) == {table_logical_id(s) for s in definitions}
    assert template["Parameters"]["TablePrefix"]["AllowedValues"] == [prefix]
    for suffix, props in definitions.items():
        table = tables[table_logical_id(suffix)]
        assert table["DeletionPolicy"] == "Retain"
        assert table["UpdateReplacePolicy"] == "Retain"
        declared = dict(table["Properties"])
        assert declared.pop("TableName") == {"Fn::Sub": "${TablePrefix}" + suffix}
        assert declared.pop("PointInTimeRecoverySpecification") == {"PointInTimeRecoveryEnabled": True}
        assert declared.pop("DeletionProtectionEnabled") is True
        assert declared == props


def test_key_schemas_put_the_partition_key_first():
    # CloudFormation and DynamoDB reject a KeySchema whose first element is not the HASH key.
    for suffix, props in table_definitions().items():
        assert props["KeySchema"][0]["KeyType"] == "HASH", suffix
        for index in props.get("GlobalSecondaryIndexes", []):
            assert index["KeySchema"][0]["KeyType"] == "HASH", (suffix, index["IndexName"])


@pytest.fixture
def moto_tables(monkeypatch):
    """The tables as create_all_tables() makes them in moto, described by DynamoDB itself."""
    from chalicelib.storage.base import rebind
    from chalicelib.storage.tables import create_all_tables

    for name in ("CSMS_AWS_ENDPOINT", "CSMS_DYNAMODB_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", os.environ.get("AWS_DEFAULT_REGION", "eu-west-1"))
    monkeypatch.setenv("CSMS_TABLE_PREFIX", "csms-infra-test-")
    with mock_aws():
        rebind()
        create_all_tables()
        client = boto3.client("dynamodb", region_name=os.environ["AWS_DEFAULT_REGION"])
        described = {}
        for name in client.list_tables()["TableNames"]:
            assert name.startswith("csms-infra-test-")
            table = client.describe_table(TableName=name)["Table"]
            ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
            described[name.removeprefix("csms-infra-test-")] = (table, ttl)
    monkeypatch.undo()
    rebind()
    return described


def test_moto_tables_equal_the_definitions(moto_tables):
    definitions = table_definitions()
    assert set(moto_tables) == set(definitions)
    for suffix, props in definitions.items():
        table, ttl = moto_tables[suffix]
        assert _key_schema(table["KeySchema"]) == _key_schema(props["KeySchema"]), suffix
        assert _attributes(table["AttributeDefinitions"]) == _attributes(props["AttributeDefinitions"])
        assert _gsis(table.get("GlobalSecondaryIndexes")) == _gsis(props.get("GlobalSecondaryIndexes"))
        assert table["BillingModeSummary"]["BillingMode"] == props["BillingMode"]
        if "TimeToLiveSpecification" in props:
            assert ttl == {
                "TimeToLiveStatus": "ENABLED",
                "AttributeName": props["TimeToLiveSpecification"]["AttributeName"],
            }, suffix
        else:
            assert ttl["TimeToLiveStatus"] == "DISABLED", suffix
