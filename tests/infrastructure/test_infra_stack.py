"""The stack `make infra` deploys for `chalice deploy`: standalone, created in moto's CloudFormation."""

from __future__ import annotations

import json
import os
import shutil

import boto3
import pytest
from moto import mock_aws

from chalicelib.storage.tables import table_definitions
from infrastructure import infra, policies
from infrastructure.build import CHALICE_CONFIG, stage_settings
from tests.infrastructure.test_tables import _attributes, _gsis, _key_schema

CHALICE_RESOURCES = ("RestAPI", "WebsocketAPI", "APIHandler", "WebsocketMessage", "EveryMinute")
# Types moto's CloudFormation cannot create; they are checked by cfn-lint (`make infra` lints first).
NOT_IN_MOTO = ("AWS::SES::EmailIdentity",)


@pytest.fixture(scope="module")
def template():
    return infra.infra_template("dev")


def test_standalone_template_names_no_chalice_resource(template):
    text = json.dumps(template)
    for name in CHALICE_RESOURCES:
        assert f'"Ref": "{name}"' not in text and "${" + name + "}" not in text and f'["{name}",' not in text, name
    assert "Globals" not in template
    assert all("Type" in r for r in template["Resources"].values())
    assert template["Resources"]["Distribution"]["Condition"] == "HasApis"
    dims = template["Resources"]["WebsocketMessageErrorsAlarm"]["Properties"]["Dimensions"]
    assert dims == [{"Name": "FunctionName", "Value": "csms-dev-websocket_message"}]


@pytest.fixture
def stack(template, monkeypatch):
    for name in ("CSMS_AWS_ENDPOINT", "CSMS_DYNAMODB_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    body = json.loads(json.dumps(template))
    for name in [n for n, r in body["Resources"].items() if r["Type"] in NOT_IN_MOTO]:
        body["Resources"].pop(name)
    body["Outputs"].pop("MailDkimRecords")
    region = os.environ.get("AWS_DEFAULT_REGION", "eu-west-1")
    with mock_aws():
        cfn = boto3.client("cloudformation", region_name=region)
        cfn.create_stack(StackName="csms-dev-infra", TemplateBody=json.dumps(body), Capabilities=["CAPABILITY_IAM"])
        described = cfn.describe_stacks(StackName="csms-dev-infra")["Stacks"][0]
        yield described, boto3.client("dynamodb", region_name=region), boto3.client("s3", region_name=region)


def test_stack_creates_the_model_tables_and_buckets(stack):
    described, dynamodb, s3 = stack
    assert described["StackStatus"] == "CREATE_COMPLETE"
    prefix = stage_settings("dev")["TablePrefix"]
    names = dynamodb.list_tables()["TableNames"]
    assert sorted(names) == sorted(prefix + s for s in table_definitions())
    for suffix, props in table_definitions().items():
        table = dynamodb.describe_table(TableName=prefix + suffix)["Table"]
        assert _key_schema(table["KeySchema"]) == _key_schema(props["KeySchema"]), suffix
        assert _attributes(table["AttributeDefinitions"]) == _attributes(props["AttributeDefinitions"]), suffix
        assert _gsis(table.get("GlobalSecondaryIndexes")) == _gsis(props.get("GlobalSecondaryIndexes")), suffix
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described["Outputs"]}
    assert outputs["ReportsBucketName"] == "csms-dev-reports-123456789012-eu-west-1"
    assert outputs["ReportsBucketName"] in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert outputs["FirmwareBucketName"] == "csms-dev-firmware-123456789012-eu-west-1"
    assert outputs["FirmwareBucketName"] in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_outputs_land_in_the_stage_environment(stack, tmp_path):
    described, _, _ = stack
    config = tmp_path / "config.json"
    shutil.copy(CHALICE_CONFIG, config)
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described["Outputs"]}
    changed = infra.write_outputs("dev", outputs, config)
    assert changed == {"CSMS_REPORTS_BUCKET": "csms-dev-reports-123456789012-eu-west-1",
                       "CSMS_FIRMWARE_BUCKET": "csms-dev-firmware-123456789012-eu-west-1"}
    written = json.loads(config.read_text())
    assert written["stages"]["dev"]["environment_variables"]["CSMS_REPORTS_BUCKET"] == changed["CSMS_REPORTS_BUCKET"]
    assert written["stages"]["prod"] == json.loads(CHALICE_CONFIG.read_text())["stages"]["prod"]


def test_after_chalice_deploy_the_websocket_api_lands_in_the_stage_environment(tmp_path):
    # Given chalice has deployed the WebSocket API w5ck
    config = tmp_path / "config.json"
    shutil.copy(CHALICE_CONFIG, config)
    # When the stack's outputs are written with it
    changed = infra.write_outputs("dev", {"ReportsBucketName": "b", "FirmwareBucketName": "f"}, config, websocket_api_id="w5ck")
    # Then the REST and scheduled functions know where to post to chargers
    assert changed == {"CSMS_REPORTS_BUCKET": "b", "CSMS_FIRMWARE_BUCKET": "f", "CSMS_WEBSOCKET_API_ID": "w5ck", "CSMS_WEBSOCKET_STAGE": "api"}
    env = json.loads(config.read_text())["stages"]["dev"]["environment_variables"]
    assert (env["CSMS_WEBSOCKET_API_ID"], env["CSMS_WEBSOCKET_STAGE"]) == ("w5ck", "api")


def test_api_ids_come_from_chalices_deployed_file(tmp_path):
    assert infra.deployed_api_ids("dev", tmp_path) == {}
    (tmp_path / "deployed").mkdir()
    (tmp_path / "deployed" / "dev.json").write_text(json.dumps({"resources": [
        {"name": "rest_api", "resource_type": "rest_api", "rest_api_id": "r3st"},
        {"name": "websocket_api", "resource_type": "websocketapi", "websocket_api_id": "w5ck"},
    ]}))
    assert infra.deployed_api_ids("dev", tmp_path) == {"RestApiId": "r3st", "WebsocketApiId": "w5ck"}
    assert policies.deployed_websocket_api("dev", tmp_path) == "w5ck"


def test_policy_files_for_chalice_deploy_name_this_account(tmp_path):
    settings = stage_settings("prod")
    arns = policies.concrete_arns(settings, "eu-north-1", "210987654321", "w5ck", "csms")
    written = policies.write_policy_files("prod", arns, tmp_path)
    assert len(written) == len(policies.function_needs())
    message = json.loads((tmp_path / "policy-prod-websocket_message.json").read_text())
    resources = [r for s in message["Statement"] for r in s["Resource"]]
    assert "arn:aws:dynamodb:eu-north-1:210987654321:table/csms-prod-stations" in resources
    assert "arn:aws:execute-api:eu-north-1:210987654321:w5ck/api/POST/@connections/*" in resources
    assert "arn:aws:logs:eu-north-1:210987654321:log-group:/aws/lambda/csms-prod-websocket_message:*" in resources
    # Without an account (a package build) only missing files are written, and they grant nothing
    (tmp_path / "policy-prod-every_minute.json").unlink()
    [placeholder] = policies.write_policy_files("prod", None, tmp_path)
    assert json.loads(placeholder.read_text())["Statement"][0]["Effect"] == "Deny"
