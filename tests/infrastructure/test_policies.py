"""Least privilege: each function's policy covers the AWS calls its handlers make, and nothing more."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from infrastructure import policies
from tests.api.conftest import client, world  # noqa: F401 (fixtures)
from tests.api.mailbox import Mailbox
from tests.infrastructure.aws_calls import recorded
from tests.support import LambdaCharger

PREFIX = "csms-test-"
WEBSOCKET = ("websocket_connect", "websocket_message", "websocket_disconnect")
# A granted action must appear in the code that calls it (PynamoDB or botocore spelling).
CALLED_AS = {
    "dynamodb:GetItem": r"\.get\(|get_item|\.refresh\(",
    "dynamodb:BatchGetItem": r"batch_get",
    "dynamodb:Query": r"\.query\(",
    "dynamodb:PutItem": r"\.save\(|put_item|TransactWrite",
    "dynamodb:UpdateItem": r"\.update\(|update_item",
    "dynamodb:DeleteItem": r"\.delete\(|delete_item",
    "dynamodb:ConditionCheckItem": r"condition_check",
    "dynamodb:BatchWriteItem": r"batch_write",
    "dynamodb:Scan": r"\.scan\(",
    "dynamodb:DescribeTable": r"describe_table",
    "ses:SendEmail": r"send_email\(",
    "s3:PutObject": r"generate_presigned_post|\"put_object\"|create_multipart_upload\(|upload_part\(",
    "s3:GetObject": r"head_object|\"get_object\"|generate_presigned_url\(",
    "execute-api:ManageConnections": r"post_to_connection|websocket_api\.send|api\.send\(|api\.close\(",
    "s3:AbortMultipartUpload": r"abort_multipart_upload\(",
    "lambda:InvokeFunction": r'InvocationType="Event"',
    "logs:CreateLogStream": None,  # the Lambda runtime writes the function's logs
    "logs:PutLogEvents": None,
    # The Lambda runtime sends the segments of a function with active tracing (observability.traced).
    "xray:PutTraceSegments": r"in_subsegment\(",
    "xray:PutTelemetryRecords": r"in_subsegment\(",
}


def _granted(function: str) -> dict[str, set[str]]:
    """action -> table suffixes ("" for a non-table resource) that the policy names."""
    grants: dict[str, set[str]] = {}
    for stmt in policies.policy_document(function, _arns())["Statement"]:
        for action in stmt["Action"]:
            for resource in stmt["Resource"]:
                grants.setdefault(action, set()).add(resource.split(f"table/{PREFIX}")[-1] if "table/" in resource else "")
    return grants


def _arns():
    settings = {"TablePrefix": PREFIX, "Stage": "dev", "ApiStage": "api", "MailDomain": "csms.example.com"}
    return policies.concrete_arns(settings, "eu-west-1", "123456789012", "abc123", "csms")


def _uncovered(function: str, seen: set[tuple[str, str]]) -> list:
    grants = _granted(function)
    return sorted((a, t) for a, t in seen if t not in grants.get(a, set()) and "" not in grants.get(a, {None}))


def _ocpp_session(charger: LambdaCharger) -> None:
    charger.frame("boot_notification")
    charger.frame("heartbeat")
    charger.frame("status_notification")
    charger.frame("authorize")
    tx = charger.frame("start_transaction")[2]["transactionId"]
    charger.frame("meter_values", TXID=tx)
    charger.frame("stop_transaction", TXID=tx)
    charger.frame("data_transfer")


def test_websocket_functions_need_exactly_what_they_are_granted(demo):
    charger, stranger = LambdaCharger("EVI00000013"), LambdaCharger("UNKNOWN-1", org="ACME")
    with recorded(PREFIX) as connect:
        charger.connect()
        stranger.connect()
    with recorded(PREFIX) as message:
        _ocpp_session(charger)
    with recorded(PREFIX) as disconnect:
        charger.disconnect()
    for function, seen in zip(WEBSOCKET, (connect, message, disconnect), strict=True):
        assert _uncovered(function, seen) == [], function
        # Every DynamoDB action granted is one this function's handler was seen to call.
        called = {a for a, _ in seen}
        granted = {a for a in _granted(function) if a.startswith("dynamodb:")}
        assert granted <= called | set(policies.RARE_PATHS.get(function, {})), (function, granted - called)


def test_the_minute_tick_needs_exactly_what_it_is_granted(demo, monkeypatch):
    import app
    from chalicelib import aws, clock
    from chalicelib.ports.calls import PENDING, Command
    from chalicelib.ports.firmware import Campaign, CampaignStation, FirmwareFile
    from chalicelib.ports.registry import store
    from chalicelib.settings import get_settings

    charger = LambdaCharger("EVI00000013")
    charger.connect()
    charger.frame("boot_notification")
    charger.frame("start_transaction")  # days ago: silent, probed by the first tick, soft-stopped by a later one
    # a running firmware campaign whose next station is connected: the first tick starts its update
    LambdaCharger("EVI00000014").connect()
    earlier = clock.now() - timedelta(minutes=1)
    aws.s3().put_object(Bucket=get_settings().firmware_bucket, Key="firmware/ACME/f1/fw.bin", Body=b"FW")
    store().firmware.save_file(FirmwareFile("ACME", "f1", "fw.bin", "2.0", 2, "firmware/ACME/f1/fw.bin", "t", earlier, state="Ready"))
    store().firmware.save_campaign(Campaign("ACME", "c1", "f1", "2.0", "g", 1, 0, 0, "t", earlier))
    store().firmware.save_campaign_station(CampaignStation("ACME", "c1", "EVI00000014", "Waiting", earlier))
    event = {"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events", "account": "1",
             "time": "2026-01-01T00:00:00Z", "region": "eu-west-1", "resources": [], "detail": {}}
    later = clock.now() + timedelta(minutes=10)
    moment = clock.now() - timedelta(hours=1)  # and a command that timed out (the command_timeouts job)
    store().calls.add(Command("ACME", "CP1", "c-1", "ClearCache", {}, PENDING, moment, deadline_at=moment + timedelta(seconds=5)))
    _scheduled_tasks_due(moment)  # a station limit for the booted charger, a user's activation (issue 11)
    from chalicelib.jobs import recount
    from chalicelib.jobs.runner import Tick

    # the minute whose slice holds ACME (the recount's reads and corrections)
    minute = next(m for m in range(recount.SLICES) if "ACME" in store().stations.organization_slice(m, recount.SLICES))
    acme_minute = clock.now().replace(minute=minute)
    from chalicelib.jobs import silent_stations

    with recorded(PREFIX) as seen:
        recount.run(Tick(acme_minute, acme_minute))
        app.every_minute(event, None)
        started = store().firmware.get_update("ACME", "EVI00000014").status
        monkeypatch.setattr(clock, "now", lambda: later)
        app.every_minute(event, None)
        # silent stations: at the default interval only a sweep after the connections' 2 hours, when moto's
        # gateway says they were last active hours ago (it says "just now"): both found silent
        silent = later + timedelta(hours=3)
        assert silent_stations.run(Tick(silent, silent)) == {"silent": 2}
    assert started == "Requested"
    assert _uncovered("every_minute", seen) == []
    called = {a for a, _ in seen}
    granted = {a for a in _granted("every_minute") if a.startswith("dynamodb:")}
    assert granted <= called | set(policies.RARE_PATHS["every_minute"]), granted - called
    assert ("dynamodb:Query", "transactions") in seen  # the active-sessions index, never a Scan
    assert {("dynamodb:Query", "connections"), ("dynamodb:DeleteItem", "connections")} <= seen  # due, then gone
    # The only Scan: the recount's segment of the tenant table
    assert {t for a, t in seen if a == "dynamodb:Scan"} == {"organizations"}
    assert store().calls.get("ACME", "CP1", "c-1").state == "TimedOut"
    assert ("dynamodb:Query", "scheduled-tasks") in seen  # the due index
    # The charger never answers the limit: its command timed out, the run failed and waits for its retry.
    limit, user = store().tasks.list("ACME", 10).items
    assert limit.last_run.detail == "SetChargingProfile TimedOut: No answer from the charging station before the deadline."
    assert (limit.attempts, user.last_run.outcome) == (1, "Done")
    [record] = store().stuck.of_organization("ACME")
    # The charger never answered the two TriggerMessages: they timed out, then the session was soft-stopped.
    assert (record.state, [s.kind for s in record.steps]) == ("SoftStopped", ["probed", "no_answer", "no_answer", "soft_stopped"])
    assert [s.detail["state"] for s in record.steps[1:3]] == ["TimedOut", "TimedOut"]


def test_rest_calls_are_covered(world):  # noqa: F811
    Mailbox()  # the sender identity verified in moto's SES
    with recorded(PREFIX) as seen:
        assert world.admin.get("/api/v1/organization").status == 200
        assert world.admin.get("/api/v1/stations").status == 200
        assert world.admin.get("/api/v1/dashboard").status == 200
        invited = world.admin.post(
            "/api/v1/operators",
            {"email": "n@acme.test", "email_confirmation": "n@acme.test", "username": "newbie", "first_name": "N",
             "last_name": "O", "role": "basic", "base_group_id": world.groups["ACME Shopping Malls"].group_id},
        )
        assert invited.status == 201, invited
        assert world.anonymous.get("/api/v1/health").status == 200
    assert ("ses:SendEmail", "") in seen
    assert _uncovered("api_handler", seen) == []


@pytest.mark.parametrize("function", list(policies.function_needs()))
def test_no_wildcards_and_no_action_the_code_never_calls(function):
    source = "\n".join(p.read_text() for p in (policies.ROOT / "chalicelib").rglob("*.py"))
    for stmt in policies.policy_document(function, _arns())["Statement"]:
        for action in stmt["Action"]:
            assert "*" not in action, (function, action)
            assert action in CALLED_AS, f"{function}: {action} is granted but not known to be called"
            pattern = CALLED_AS[action]
            assert pattern is None or re.search(pattern, source), f"{function}: nothing calls {action}"
        if stmt["Sid"] == "Traces":  # X-Ray offers no resource-level permission for sending segments
            assert stmt["Resource"] == ["*"] and stmt["Action"] == policies.TRACE_ACTIONS
            continue
        for resource in stmt["Resource"]:
            # The only wildcards left: a table's indexes, a function's log streams, any charger connection,
            # the objects under one key prefix of the firmware bucket, the reports bucket's objects.
            assert resource.count("*") <= 1 and resource.endswith(
                ("/index/*", ":*", "@connections/*", "/firmware/*", "/diagnostics/*", "-reports-123456789012-eu-west-1/*")
            ) == (
                "*" in resource
            ), (function, resource)


def test_websocket_functions_cannot_mail_or_touch_operators():
    for function in WEBSOCKET:
        grants = _granted(function)
        assert "ses:SendEmail" not in grants
        tables = set().union(*grants.values())
        assert not tables & {"operators", "operator-sessions", "operator-tokens"}, function


def test_packaged_roles_use_references(tmp_path):
    overrides = policies.cfn_overrides()
    role = overrides["WebsocketMessageRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    tables = next(s for s in role["Statement"] if s["Sid"] == "Tables")
    assert {"Fn::GetAtt": ["TableStations", "Arn"]} in tables["Resource"]
    chargers = next(s for s in role["Statement"] if s["Sid"] == "Chargers")
    assert "${WebsocketAPI}/${ApiStage}/POST/@connections/*" in chargers["Resource"][0]["Fn::Sub"]
    # only the REST function reads a connection (GET: a station's last activity in its details)
    rest = overrides["ApiHandlerRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    [rest_chargers] = [s for s in rest["Statement"] if s["Sid"] == "Chargers"]
    assert any("/GET/@connections/*" in r["Fn::Sub"] for r in rest_chargers["Resource"])
    assert not any("/GET/" in r["Fn::Sub"] for r in chargers["Resource"])
    assert overrides["WebsocketMessage"]["Properties"]["FunctionName"] == {"Fn::Sub": "${AWS::StackName}-WebsocketMessage"}


def test_granted_tables_exist_and_the_rest_api_reaches_all():
    from chalicelib.storage.tables import table_definitions

    tables = set(table_definitions())
    for function, needs in policies.function_needs().items():
        assert set(needs.tables) <= tables, function
    assert set(policies.function_needs()["api_handler"].tables) == tables


def test_only_the_traced_functions_may_send_traces():
    traced = policies.traced_functions()
    assert traced == {"api_handler", "every_minute"}  # the WebSocket functions are the bulk: never traced
    for function in policies.function_needs():
        assert ("xray:PutTraceSegments" in _granted(function)) == (function in traced), function


def test_rest_firmware_calls_are_covered(world):  # noqa: F811
    # Given a firmware file whose object is in the bucket
    from chalicelib import aws
    from chalicelib.settings import get_settings

    started = world.admin.post("/api/v1/firmware/files", {"name": "fw.bin", "version": "2", "size": 2}).body
    aws.s3().put_object(Bucket=get_settings().firmware_bucket, Key=started["upload"]["fields"]["key"], Body=b"FW")
    # When the REST function confirms it (HeadObject), lists files and the versions inventory
    with recorded(PREFIX) as seen:
        assert world.admin.post(f"/api/v1/firmware/files/{started['file']['file_id']}/uploaded").status == 200
        assert world.admin.get("/api/v1/firmware/files").status == 200
        assert world.admin.get("/api/v1/firmware/versions").status == 200
    # Then every call is granted (HeadObject as s3:GetObject on the firmware/ prefix)
    assert ("s3:GetObject", "") in seen
    assert _uncovered("api_handler", seen) == []


def test_rest_scheduled_task_calls_are_covered(world):  # noqa: F811
    # Given a task with a run in its history
    from chalicelib import clock
    from chalicelib.ports.registry import store
    from chalicelib.ports.tasks import DONE, Run, new_run_id

    tasks = "/api/v1/scheduled-tasks"
    body = {"name": "Night", "type": "max_current", "key": {"station_id": "EVI00000013"}, "value": {"amperes": 6},
            "schedule": {"kind": "daily", "hour": 1, "minute": 0, "time_zone": "organization"}}
    # When the REST function creates, lists, edits, copies, (de)activates and deletes tasks, and the zone changes
    with recorded(PREFIX) as seen:
        task = world.admin.post(tasks, body).body
        now = clock.now()
        store().tasks.add_run(Run("ACME", task["task_id"], new_run_id(now), now, 0, now, DONE))
        assert world.admin.get(tasks).status == 200
        assert world.admin.put(f"{tasks}/{task['task_id']}", {**body, "name": "Renamed"}).status == 200
        assert world.admin.post(f"{tasks}/{task['task_id']}/copy").status == 201
        assert world.admin.post(f"{tasks}/activation", {"task_ids": [task["task_id"]], "active": False}).status == 200
        seen_org = world.admin.get("/api/v1/organization").body
        organization = {"name": seen_org["name"], "timezone": "Asia/Tokyo", "version": seen_org["version"]}
        assert world.admin.put("/api/v1/organization", organization).status == 200
        assert world.admin.delete(f"{tasks}/{task['task_id']}").status == 204
    # Then every call is granted (the history's BatchWriteItem included)
    assert ("dynamodb:BatchWriteItem", "scheduled-tasks") in seen
    assert _uncovered("api_handler", seen) == []


def test_report_calls_of_the_rest_function_and_the_report_worker_are_covered(world, monkeypatch):  # noqa: F811
    import app
    from chalicelib.domain import reports
    from tests.api.test_reports import SESSIONS, _session

    for row in SESSIONS:
        _session("ACME", *row)
    monkeypatch.setattr(reports, "SESSIONS_PAGE", 2)  # more than one page: launched, not run in the request
    launched: list[str] = []
    reports.set_launcher(lambda org_id, report_id: launched.append(report_id))
    try:
        with recorded(PREFIX) as rest:
            started = world.admin.post("/api/v1/reports", {"from": "2026-03-28", "to": "2026-03-29"})
            assert world.admin.get(f"/api/v1/reports/{started.body['report_id']}/rows").status == 200
        assert launched == [started.body["report_id"]]
        assert _uncovered("api_handler", rest) == []

        class Context:
            def get_remaining_time_in_millis(self) -> int:
                return 900_000

        with recorded(PREFIX) as worker:
            app.report_worker({"org_id": "ACME", "report_id": launched[0]}, Context())
    finally:
        reports.set_launcher(None)
    assert world.admin.get(f"/api/v1/reports/{launched[0]}").body["state"] == "Done"
    assert _uncovered("report_worker", worker) == []
    called = {a for a, _ in worker}
    granted = {a for a in _granted("report_worker") if a.startswith(("dynamodb:", "s3:PutObject"))}
    assert granted <= called, granted - called  # every action granted to the worker is one it was seen to call


def _scheduled_tasks_due(moment):
    from chalicelib.ports.registry import store
    from chalicelib.ports.tasks import MAX_CURRENT, USER_ACTIVATION, Schedule, Task

    daily = Schedule("daily", moment.hour, moment.minute)
    for task_id, kind, key, value in (
        ("t1", MAX_CURRENT, {"station_id": "EVI00000013"}, {"amperes": 16}),
        ("t2", USER_ACTIVATION, {"charging_user_id": "scrooge@duckburg.com"}, {"active": False}),
    ):
        store().tasks.add(Task("ACME", task_id, task_id, kind, key, value, daily, True, moment, moment, next_run_at=moment))

