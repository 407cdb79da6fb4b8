"""The stage templates build: chalice package --merge-template, then cfn-lint without errors.

`make test` builds both stages first (`make package`) and points CSMS_BUILT_TEMPLATES at them, so
the checks here read those templates instead of building again; CSMS_SKIP_PACKAGE=1 alone skips
them for quick local runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from infrastructure.build import ROOT, stage_settings

BUILT = os.environ.get("CSMS_BUILT_TEMPLATES")
pytestmark = pytest.mark.skipif(
    os.environ.get("CSMS_SKIP_PACKAGE") == "1" and not BUILT, reason="CSMS_SKIP_PACKAGE=1: chalice package skipped"
)

WEBSOCKET_FUNCTIONS = ("WebsocketConnect", "WebsocketMessage", "WebsocketDisconnect")


@pytest.fixture(scope="module", params=["dev", "prod"])
def built(request, tmp_path_factory):
    stage = request.param
    if BUILT:
        return stage, json.loads((ROOT / BUILT / stage / "sam.json").read_text())
    out = tmp_path_factory.mktemp(f"build-{stage}")
    env = {k: v for k, v in os.environ.items() if k != "CSMS_SKIP_PACKAGE"}
    env.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    result = subprocess.run(
        [sys.executable, "-m", "infrastructure.build", "--stage", stage, "--out", str(out), "--allow-placeholders"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return stage, json.loads((out / stage / "sam.json").read_text())


def test_package_and_lint_succeed(built):
    stage, sam = built
    assert sam["Transform"] == "AWS::Serverless-2016-10-31"
    assert sam["Parameters"]["Stage"]["Default"] == stage


def test_cloudfront_points_at_the_apis_chalice_emits(built):
    _, sam = built
    resources = sam["Resources"]
    config = resources["Distribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert "${WebsocketAPI}" in origins["websocket-api"]["DomainName"]["Fn::Sub"]
    assert "${RestAPI}" in origins["rest-api"]["DomainName"]["Fn::Sub"]
    assert resources["WebsocketAPI"]["Type"] == "AWS::ApiGatewayV2::Api"
    assert resources["RestAPI"]["Type"] == "AWS::Serverless::Api"
    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert behaviours["/api/*"]["TargetOriginId"] == "rest-api"
    ocpp = behaviours["/ocpp*"]
    assert ocpp["TargetOriginId"] == "websocket-api"
    [association] = ocpp["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    function = resources["OcppRewriteFunction"]["Properties"]
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert "function handler(event)" in function["FunctionCode"]
    assert len(function["FunctionCode"].encode()) < 10 * 1024  # CloudFront Functions limit


def test_lambdas_get_memory_and_the_stage_environment(built):
    stage, sam = built
    settings = stage_settings(stage)
    resources = sam["Resources"]
    functions = {k: v for k, v in resources.items() if v["Type"] == "AWS::Serverless::Function"}
    assert set(WEBSOCKET_FUNCTIONS) <= set(functions)
    for name in WEBSOCKET_FUNCTIONS:
        assert functions[name]["Properties"]["MemorySize"] >= 512, name
    for name, function in functions.items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["CSMS_TABLE_PREFIX"] == settings["TablePrefix"], name
        assert "CSMS_REPORTS_BUCKET" not in variables, name  # the stack names it: see Globals
        assert "CSMS_FIRMWARE_BUCKET" not in variables, name
    shared = sam["Globals"]["Function"]["Environment"]["Variables"]
    assert shared["CSMS_WEBSOCKET_API_ID"] == {"Ref": "WebsocketAPI"}
    assert shared["CSMS_REPORTS_BUCKET"] == {"Ref": "ReportsBucket"}
    assert shared["CSMS_FIRMWARE_BUCKET"] == {"Ref": "FirmwareBucket"}


def test_only_the_rest_function_loads_the_routes(built):
    # Given the packaged functions
    _, sam = built
    functions = {k: v for k, v in sam["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    roles = {name: f["Properties"]["Environment"]["Variables"].get("CSMS_FUNCTION_ROLE") for name, f in functions.items()}
    # Then the WebSocket and scheduled functions skip the REST routes (cold start), the REST one keeps them
    for name in WEBSOCKET_FUNCTIONS:
        assert roles[name] == "websocket", name
    assert roles["APIHandler"] is None
    assert "scheduled" in roles.values()


def test_guardrails(built):
    stage, sam = built
    resources = sam["Resources"]
    # Buckets: named per account and region (S3 names are global)
    for bucket in ("ReportsBucket", "FirmwareBucket"):
        name = resources[bucket]["Properties"]["BucketName"]["Fn::Sub"]
        assert "${AWS::AccountId}" in name and "${AWS::Region}" in name
    # Chargers' diagnostics expire; firmware files are kept until an admin removes them
    rules = resources["FirmwareBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert [r["Prefix"] for r in rules if "ExpirationInDays" in r] == ["diagnostics/"]
    # Tables cannot be deleted by a stack update or a console click
    tables = [r for r in resources.values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert tables and all(t["Properties"]["DeletionProtectionEnabled"] is True for t in tables)
    # Reserved concurrency: one minute tick at a time, a cap on the charger-facing functions
    functions = {k: v["Properties"] for k, v in resources.items() if v["Type"] == "AWS::Serverless::Function"}
    assert functions["EveryMinute"]["ReservedConcurrentExecutions"] == 1
    for name in WEBSOCKET_FUNCTIONS:
        assert functions[name]["ReservedConcurrentExecutions"] >= 1, name
    # Access logs and throttling on both APIs
    rest = resources["RestAPI"]["Properties"]
    assert rest["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["RestApiAccessLogs", "Arn"]}
    assert rest["MethodSettings"][0]["ThrottlingRateLimit"] == {"Ref": "ApiRateLimit"}
    ws_stage = resources["WebsocketAPIStage"]["Properties"]
    assert ws_stage["AccessLogSettings"]["DestinationArn"] == {"Fn::GetAtt": ["WebsocketApiAccessLogs", "Arn"]}
    assert ws_stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == {"Ref": "ChargerMessageRateLimit"}
    # Alarms: errors, throttles and near-time-outs of every function, sent to the alarm topic
    alarms = {k: v["Properties"] for k, v in resources.items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    for function in functions:
        for kind in ("Errors", "Throttles", "Timeout"):
            alarm = alarms[f"{function}{kind}Alarm"]
            assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function}}]
            assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert alarms["EveryMinuteTimeoutAlarm"]["Threshold"] == 54000  # 90 % of its 60 s


def test_prod_with_placeholders_is_refused(tmp_path):
    from infrastructure.build import check_placeholders

    config = tmp_path / "config.json"
    env = {"CSMS_PUBLIC_URL": "https://csms.example.com", "CSMS_MAIL_SENDER": "no-reply@csms.example.com"}
    config.write_text(json.dumps({"stages": {"prod": {"environment_variables": env}}}))
    with pytest.raises(SystemExit) as refused:
        check_placeholders("prod", allow=False, config_path=config)
    assert "CSMS_PUBLIC_URL='https://csms.example.com' is a placeholder" in str(refused.value)
    assert "CSMS_MAIL_SENDER='no-reply@csms.example.com' is a placeholder" in str(refused.value)
    check_placeholders("prod", allow=True, config_path=config)  # make test checks the template anyway
    real = {"CSMS_PUBLIC_URL": "https://charge.acme.fi", "CSMS_MAIL_SENDER": "no-reply@acme.fi"}
    config.write_text(json.dumps({"stages": {"prod": {"environment_variables": real}}}))
    check_placeholders("prod", allow=False, config_path=config, version=(3, 12))
    # And a venv of another Python than the Lambda runtime cannot build prod for deployment
    with pytest.raises(SystemExit) as refused:
        check_placeholders("prod", allow=False, config_path=config, version=(3, 11))
    assert "this venv runs Python 3.11: the Lambda runtime must be python3.12" in str(refused.value)


def test_the_functions_run_the_python_of_the_venv_that_built_them(built):
    _, sam = built
    runtimes = {v["Properties"]["Runtime"] for v in sam["Resources"].values() if v["Type"] == "AWS::Serverless::Function"}
    assert runtimes == {"python{}.{}".format(*sys.version_info[:2])}


def test_dashboard_graphs_every_event_and_function(built):
    from chalicelib.observability import EVENTS

    _, sam = built
    body, names = sam["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(body)["widgets"]
    graphed = {m[1] for m in widgets[0]["properties"]["metrics"]}
    assert graphed == set(EVENTS)
    functions = {k for k, v in sam["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    assert names == {"Fn" + f: {"Ref": f} for f in functions}
    errors = next(w for w in widgets if w["properties"]["title"].startswith("Lambda Errors"))
    assert {m[3] for m in errors["properties"]["metrics"]} == {"${Fn" + f + "}" for f in functions}


def test_the_rest_api_and_the_minute_tick_are_traced_and_the_websocket_functions_not(built):
    _, sam = built
    functions = {k: v["Properties"] for k, v in sam["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    traced = {name for name, p in functions.items() if p.get("Tracing") == "Active"}
    assert "APIHandler" in traced and not traced & set(WEBSOCKET_FUNCTIONS)
    assert len(traced) == 2, traced  # the REST API and the minute tick
    for name in traced:
        assert functions[name]["Environment"]["Variables"]["POWERTOOLS_TRACE_DISABLED"] == "false", name
    for name in WEBSOCKET_FUNCTIONS:
        assert "POWERTOOLS_TRACE_DISABLED" not in functions[name]["Environment"]["Variables"], name
