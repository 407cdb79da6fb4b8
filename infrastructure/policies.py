"""One least-privilege IAM policy per Lambda function: only the actions its code calls, on only its resources.

The needs below are the single source: `policy_document()` renders them with CloudFormation
references (the packaged template, infrastructure/build.py) or with concrete ARNs (the
.chalice/policy-<stage>-<function>.json files that `chalice deploy` reads, written by
`python -m infrastructure.policies`). tests/infrastructure/test_policies.py runs each function's
handlers on moto and fails when a call is not covered, or when a granted action is never called.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHALICE_DIR = ROOT / ".chalice"

READ = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query")
WRITE = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem")
# Writing a report (multipart upload, abort on failure) and signing its download link (GetObject).
REPORT_FILES = ("s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject")
# Actions on paths that one short OCPP session does not walk, and where the code takes them.
RARE_PATHS = {
    "websocket_connect": {
        "dynamodb:Query": "domain/identity.py: a short URL whose identifier nobody has claimed yet (the by-station-id index)",
    },
    "websocket_message": {
        "dynamodb:BatchWriteItem": "storage/records.py: a status without a live record, meter samples in batches",
        "dynamodb:DeleteItem": "storage/adapters/calls.py: a boot sends the station's queued commands (their markers go); "
                               "storage/adapters/configuration.py: a station leaves the drift list when its keys match again",
    },
    "every_minute": {
        "dynamodb:PutItem": "storage/transactions.py: a soft stop whose point's latest use is new (TransactWriteItems put)",
        "dynamodb:ConditionCheckItem": "storage/transactions.py: the soft stop's transaction (as StopTransaction's)",
    },
}


@dataclass(frozen=True)
class Needs:
    """What one function's code calls: DynamoDB actions on a set of tables, SES, @connections."""

    tables: tuple[str, ...] = ()
    dynamodb: tuple[str, ...] = ()
    send_mail: bool = False
    post_to_connections: bool = False
    connection_info: bool = False  # GET @connections: a connected station's last activity (station details)
    describe: tuple[str, ...] = field(default=())  # tables whose DescribeTable answers the health check
    # Tables read by Scan: only the tenant table, one fixed segment a minute (jobs/recount.py), never a request path.
    scan: tuple[str, ...] = field(default=())
    # Firmware bucket: (S3 action, key prefix) pairs. Presigned URLs act with the signer's rights, so the
    # function that signs an upload or download link needs the action itself (docs/adr/0016).
    firmware_objects: tuple[tuple[str, str], ...] = ()
    reports: tuple[str, ...] = ()  # S3 actions on the reports bucket's objects
    invoke_report_worker: bool = False  # asynchronous invocations of the report worker (ADR 0018)


def _all_tables() -> tuple[str, ...]:
    from chalicelib.storage.tables import table_definitions

    return tuple(table_definitions())


def function_needs() -> dict[str, Needs]:
    """Chalice function name -> what it needs (api_handler is the REST API)."""
    return {
        "api_handler": Needs(
            _all_tables(),
            (*READ, *WRITE, "dynamodb:BatchWriteItem"),
            send_mail=True,
            post_to_connections=True,
            connection_info=True,
            describe=("counters",),
            # uploads: admins' firmware forms, chargers' diagnostics; reads: HeadObject and download links
            firmware_objects=(("s3:PutObject", "firmware/"), ("s3:PutObject", "diagnostics/"),
                              ("s3:GetObject", "firmware/"), ("s3:GetObject", "diagnostics/")),
            reports=REPORT_FILES,
            invoke_report_worker=True,
        ),
        # Reads sessions (the by-org-time index) and names, keeps its job item, writes the CSV, chains itself.
        "report_worker": Needs(
            ("transactions", "counters", "charging-users", "tokens"),
            ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem"),
            reports=("s3:PutObject", "s3:AbortMultipartUpload"),
            invoke_report_worker=True,
        ),
        "websocket_connect": Needs(
            # counters: the identifier claims of the short URL (ADR 0011).
            ("organizations", "stations", "station-records", "connections", "aggregates", "counters"),
            # BatchGetItem: the station and its live record in one read (ADR 0029).
            ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem",
             "dynamodb:ConditionCheckItem"),
            post_to_connections=True,  # closes the connection a new one replaced (DELETE @connections)
        ),
        "websocket_message": Needs(
            # commands: answers complete their call; a boot sends the queued ones (ADR 0013).
            # connections: a cold container reads a frame's connection; a boot answered with another
            # registration than the connection's records it there (protocol/registration.py).
            ("organizations", "stations", "station-records", "transactions", "counters", "aggregates", "tokens",
             "charging-users", "user-groups", "commands", "connections", "firmware"),
            ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem",
             "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"),
            post_to_connections=True,
        ),
        "websocket_disconnect": Needs(
            # commands: the station's pending calls fail at once (one Query of its recent calls, an update each).
            ("stations", "station-records", "connections", "aggregates", "commands"),
            ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
        ),
        # The minute tick: timed-out commands (the `due` index, one conditional update each, ADR 0013),
        # stuck sessions (ADR 0017: the active-sessions index, probes, soft stops with their roll-ups),
        # firmware updates' time-outs and campaigns, which start updates (download links, new commands),
        # the live counters' recount (jobs/recount.py: stations, live records, group counters), silent stations;
        # operators' scheduled tasks (ADR 0020/0021): the due index, claims, runs, and their effects on
        # charging users and user groups (the tokens and stations a local authorization list update concerns).
        "every_minute": Needs(
            # connections: silent stations (ADR 0022: the silence-check index, moved checks, a silent one's item goes).
            ("organizations", "stations", "station-records", "transactions", "aggregates", "commands", "firmware",
             "connections", "scheduled-tasks", "charging-users", "user-groups", "tokens", "groups"),
            ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:UpdateItem",
             "dynamodb:PutItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem"),
            post_to_connections=True,  # TriggerMessage probes, UpdateFirmware of a campaign, closing a silent station
            connection_info=True,  # GET @connections: a due station's last activity (ADR 0022)
            firmware_objects=(("s3:GetObject", "firmware/"),),
            scan=("organizations",),  # the recount's slice of organizations (a Scan segment a minute)
        ),
    }


# --- rendering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arns:
    """How a resource is named: CloudFormation references, or concrete ARNs for one account."""

    table: Callable[[str], Any]
    index: Callable[[str], Any]
    identity: Any
    connections: Any
    log_group: Callable[[str], Any]
    firmware_objects: Callable[[str], Any] = lambda prefix: None  # noqa: E731 (objects under a key prefix)
    reports: Any = None  # the reports bucket's objects
    function: Callable[[str], Any] | None = None  # a function's ARN


def cfn_arns() -> Arns:
    from infrastructure.build import table_logical_id

    return Arns(
        table=lambda s: {"Fn::GetAtt": [table_logical_id(s), "Arn"]},
        index=lambda s: {"Fn::Sub": "${" + table_logical_id(s) + ".Arn}/index/*"},
        identity={"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${MailDomain}"},
        connections={
            "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
            "${WebsocketAPI}/${ApiStage}/POST/@connections/*"
        },
        # The build names each function "<stack>-<logical id>" so that its role can name its log group.
        log_group=lambda fn: {
            "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/"
            + cfn_function_name(fn)
            + ":*"
        },
        firmware_objects=lambda prefix: {"Fn::Sub": "${FirmwareBucket.Arn}/" + prefix + "*"},
        reports={"Fn::Sub": "${ReportsBucket.Arn}/*"},
        function=lambda fn: {
            "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:" + cfn_function_name(fn)
        },
    )


def logical_id(function: str) -> str:
    """The logical id `chalice package` gives a function (its role is this + "Role", except the REST one)."""
    return "APIHandler" if function == "api_handler" else "".join(p.capitalize() for p in function.split("_"))


def role_logical_id(function: str) -> str:
    return "ApiHandlerRole" if function == "api_handler" else logical_id(function) + "Role"


def cfn_function_name(function: str) -> str:
    return "${AWS::StackName}-" + logical_id(function)


def deployed_function_name(function: str, app: str, stage: str) -> str:
    """The name `chalice deploy` gives a function (the REST handler has no suffix)."""
    return f"{app}-{stage}" if function == "api_handler" else f"{app}-{stage}-{function}"


def concrete_arns(settings: dict[str, str], region: str, account: str, ws_api: str, app: str) -> Arns:
    prefix, stage = settings["TablePrefix"], settings["Stage"]
    base = f"arn:aws:dynamodb:{region}:{account}:table/{prefix}"
    return Arns(
        table=lambda s: f"{base}{s}",
        index=lambda s: f"{base}{s}/index/*",
        identity=f"arn:aws:ses:{region}:{account}:identity/{settings['MailDomain']}",
        connections=f"arn:aws:execute-api:{region}:{account}:{ws_api}/{settings['ApiStage']}/POST/@connections/*",
        log_group=lambda fn: f"arn:aws:logs:{region}:{account}:log-group:/aws/lambda/"
        + deployed_function_name(fn, app, stage)
        + ":*",
        firmware_objects=lambda prefix: f"arn:aws:s3:::csms-{stage}-firmware-{account}-{region}/{prefix}*",
        # The bucket infrastructure/template.yaml names (one per stage, account and region).
        reports=f"arn:aws:s3:::csms-{stage}-reports-{account}-{region}/*",
        function=lambda fn: f"arn:aws:lambda:{region}:{account}:function:{deployed_function_name(fn, app, stage)}",
    )


def traced_functions(config_path: Path = CHALICE_DIR / "config.json") -> frozenset[str]:
    """The functions deployed with active X-Ray tracing (`"xray": true` in .chalice/config.json)."""
    config = json.loads(config_path.read_text())
    return frozenset(name for name, settings in config.get("lambda_functions", {}).items() if settings.get("xray"))


# Sending trace segments: X-Ray has no resource-level permissions for these two, so "*" it must be.
TRACE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]


def policy_document(function: str, arns: Arns) -> dict:
    needs = function_needs()[function]
    statements = [_stmt("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], [arns.log_group(function)])]
    if function in traced_functions():
        statements.append(_stmt("Traces", TRACE_ACTIONS, ["*"]))
    if needs.dynamodb:
        resources = [r for s in needs.tables for r in (arns.table(s), arns.index(s))]
        statements.append(_stmt("Tables", list(needs.dynamodb), resources))
    if needs.scan:
        statements.append(_stmt("Slices", ["dynamodb:Scan"], [arns.table(s) for s in needs.scan]))
    if needs.describe:
        statements.append(_stmt("HealthCheck", ["dynamodb:DescribeTable"], [arns.table(s) for s in needs.describe]))
    if needs.send_mail:
        statements.append(_stmt("Mail", ["ses:SendEmail"], [arns.identity]))
    if needs.post_to_connections:
        # POST sends a frame; DELETE closes a connection (a replaced one, or a frame on an unknown one).
        closing = _with_method(arns.connections, "DELETE")
        reading = [_with_method(arns.connections, "GET")] if needs.connection_info else []
        statements.append(_stmt("Chargers", ["execute-api:ManageConnections"], [arns.connections, closing, *reading]))
    for action in dict.fromkeys(a for a, _ in needs.firmware_objects):
        prefixes = [arns.firmware_objects(p) for a, p in needs.firmware_objects if a == action]
        statements.append(_stmt("Firmware" + action.split(":")[1].removesuffix("Object"), [action], prefixes))
    if needs.reports:
        statements.append(_stmt("ReportFiles", list(needs.reports), [arns.reports]))
    if needs.invoke_report_worker:
        statements.append(_stmt("ReportWorker", ["lambda:InvokeFunction"], [arns.function("report_worker")]))
    return {"Version": "2012-10-17", "Statement": statements}


def _stmt(sid: str, actions: list[str], resources: list) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}


def cfn_overrides() -> dict[str, dict]:
    """Merge-template entries: each role gets its own policy, each function a name its role can name."""
    arns = cfn_arns()
    overrides: dict[str, dict] = {}
    for function in function_needs():
        role = role_logical_id(function)
        policy = {"PolicyName": f"{role}Policy", "PolicyDocument": policy_document(function, arns)}
        overrides[role] = {"Properties": {"Policies": [policy]}}
        overrides[logical_id(function)] = {"Properties": {"FunctionName": {"Fn::Sub": cfn_function_name(function)}}}
    return overrides


def policy_file(stage: str, function: str, chalice_dir: Path = CHALICE_DIR) -> Path:
    return chalice_dir / f"policy-{stage}-{function}.json"


def write_policy_files(stage: str, arns: Arns | None, chalice_dir: Path = CHALICE_DIR) -> list[Path]:
    """The files `chalice deploy` reads. Without `arns` (no account known yet) only missing files are
    written, granting nothing but a marker, so a deploy before `make infra` fails loudly, never wide."""
    written = []
    for function in function_needs():
        path = policy_file(stage, function, chalice_dir)
        if arns is None and path.exists():
            continue
        document = policy_document(function, arns) if arns else _placeholder()
        path.write_text(json.dumps(document, indent=2) + "\n")
        written.append(path)
    return written


def _placeholder() -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "RunMakeInfraFirst",
                "Effect": "Deny",
                "Action": ["dynamodb:DeleteTable"],
                "Resource": ["arn:aws:dynamodb:*:*:table/run-make-infra-first"],
            }
        ],
    }


def deployed_websocket_api(stage: str, chalice_dir: Path = CHALICE_DIR) -> str:
    """The id chalice recorded at its last deploy; "*" before the first one (the README has the
    second `make infra` run that narrows it once the API exists)."""
    deployed = chalice_dir / "deployed" / f"{stage}.json"
    if not deployed.exists():
        return "*"
    for resource in json.loads(deployed.read_text()).get("resources", []):
        if resource.get("resource_type") == "websocketapi":
            return resource["websocket_api_id"]
    return "*"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write .chalice/policy-<stage>-<function>.json for chalice deploy")
    parser.add_argument("--stage", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--account", required=True)
    parser.add_argument("--websocket-api", help="WebSocket API id (default: from .chalice/deployed/<stage>.json)")
    args = parser.parse_args(argv)
    from infrastructure.build import stage_settings

    settings = stage_settings(args.stage)
    app = json.loads((CHALICE_DIR / "config.json").read_text())["app_name"]
    ws_api = args.websocket_api or deployed_websocket_api(args.stage)
    arns = concrete_arns(settings, args.region, args.account, ws_api, app)
    for path in write_policy_files(args.stage, arns):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def _with_method(arn, method: str):
    """The same @connections ARN for another HTTP method (a plain ARN or an Fn::Sub)."""
    if isinstance(arn, dict):
        return {"Fn::Sub": arn["Fn::Sub"].replace("/POST/@connections/", f"/{method}/@connections/")}
    return arn.replace("/POST/@connections/", f"/{method}/@connections/")
