"""The stack for `chalice deploy`: everything Chalice does not create, then its outputs into .chalice/config.json.

    python -m infrastructure.infra --stage prod --out build/ [--deploy] [--alarm-email ops@acme.fi]

Builds build/<stage>-infra.json from the same sources as the packaged template (template.yaml,
the model tables, the CloudFront function, the alarms) with Chalice's APIs as parameters: on the
first run, before `chalice deploy` exists, CloudFront is left out; the run after the deploy reads
the API ids from .chalice/deployed/<stage>.json and adds it. With --deploy it runs `aws
cloudformation deploy`, writes the reports and firmware buckets into the stage's environment_variables, writes
the per-function IAM policies with this account's ARNs, uploads the built web frontend (frontend/dist,
infrastructure/frontend_publish.py) and sets access logs and throttling on Chalice's two API stages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from infrastructure import build, policies

THROTTLES = ("ApiRateLimit", "ApiBurstLimit", "ChargerMessageRateLimit", "ChargerMessageBurstLimit")
NEEDS_APIS = ("Distribution", "FrontendBucketPolicy")
API_OUTPUTS = ("DistributionDomainName", "DistributionId", "OcppEndpointURL")


def deployed_api_ids(stage: str, chalice_dir: Path = build.CHALICE_CONFIG.parent) -> dict[str, str]:
    deployed = chalice_dir / "deployed" / f"{stage}.json"
    if not deployed.exists():
        return {}
    ids = {}
    for resource in json.loads(deployed.read_text()).get("resources", []):
        if resource.get("resource_type") == "rest_api":
            ids["RestApiId"] = resource["rest_api_id"]
        if resource.get("resource_type") == "websocketapi":
            ids["WebsocketApiId"] = resource["websocket_api_id"]
    return ids


def infra_template(stage: str) -> dict:
    """The merge template turned standalone: Chalice's resources become parameters."""
    template = build.merge_template(stage)
    text = json.dumps(template).replace("${RestAPI}", "${RestApiId}").replace("${WebsocketAPI}", "${WebsocketApiId}")
    template = json.loads(text)
    template.pop("Globals", None)
    resources = template["Resources"]
    for name in [n for n, r in resources.items() if "Type" not in r]:
        resources.pop(name)  # merged onto Chalice's resources: APIs, roles, functions
    for name in THROTTLES:
        template["Parameters"].pop(name)  # set on Chalice's stages by api_stage_settings()
    for name in [n for n in resources if n.endswith("Alarm")]:
        resources.pop(name)
    resources.update(_alarms_by_name(stage))
    resources["Dashboard"] = _dashboard_by_name(stage)
    for name in NEEDS_APIS:
        resources[name]["Condition"] = "HasApis"
    for name in API_OUTPUTS:
        template["Outputs"][name]["Condition"] = "HasApis"
    template["Parameters"].update(
        {
            "RestApiId": {"Type": "String", "Default": "", "Description": "Chalice's REST API (after the first deploy)"},
            "WebsocketApiId": {"Type": "String", "Default": "", "Description": "Chalice's WebSocket API"},
        }
    )
    template["Conditions"]["HasApis"] = {
        "Fn::And": [
            {"Fn::Not": [{"Fn::Equals": [{"Ref": "RestApiId"}, ""]}]},
            {"Fn::Not": [{"Fn::Equals": [{"Ref": "WebsocketApiId"}, ""]}]},
        ]
    }
    for log_group in ("RestApiAccessLogs", "WebsocketApiAccessLogs"):
        template["Outputs"][log_group] = {"Value": {"Fn::GetAtt": [log_group, "Arn"]}}
    return template


def _alarms_by_name(stage: str) -> dict[str, dict]:
    """The packaged template's alarms, pointed at the names `chalice deploy` gives the functions."""
    app = json.loads(build.CHALICE_CONFIG.read_text())["app_name"]
    alarms = build.alarms(stage)
    for name, alarm in alarms.items():
        function = next(f for f in policies.function_needs() if name.startswith(policies.logical_id(f)))
        alarm["Properties"]["Dimensions"][0]["Value"] = policies.deployed_function_name(function, app, stage)
    return alarms


def _dashboard_by_name(stage: str) -> dict:
    from infrastructure.dashboard import dashboard_resource

    app = json.loads(build.CHALICE_CONFIG.read_text())["app_name"]
    names = {"Fn" + policies.logical_id(f): policies.deployed_function_name(f, app, stage) for f in policies.function_needs()}
    return dashboard_resource(names)


def write_outputs(
    stage: str, outputs: dict[str, str], config_path: Path = build.CHALICE_CONFIG, websocket_api_id: str | None = None
) -> dict[str, str]:
    """The stack's names into the stage's environment_variables (the rest of the file untouched); once
    chalice has deployed the WebSocket API, its id and stage too: REST and scheduled functions post to
    chargers through it (chalicelib/gateway.py)."""
    config = json.loads(config_path.read_text())
    env = config["stages"][stage].setdefault("environment_variables", {})
    changed = {"CSMS_REPORTS_BUCKET": outputs["ReportsBucketName"], "CSMS_FIRMWARE_BUCKET": outputs["FirmwareBucketName"]}
    if websocket_api_id:
        changed["CSMS_WEBSOCKET_API_ID"] = websocket_api_id
        changed["CSMS_WEBSOCKET_STAGE"] = build.stage_settings(stage, config_path)["ApiStage"]
    env.update(changed)
    config_path.write_text(json.dumps(config, indent=2) + "\n")
    return changed


def _aws(*args: str) -> str:
    return subprocess.run(["aws", *args], check=True, capture_output=True, text=True).stdout


def deploy(stage: str, template_file: Path, extra: dict[str, str]) -> dict[str, str]:
    stack = f"csms-{stage}-infra"
    overrides = [f"{k}={v}" for k, v in extra.items()]
    subprocess.run(
        ["aws", "cloudformation", "deploy", "--stack-name", stack, "--template-file", str(template_file),
         "--capabilities", "CAPABILITY_IAM", "--no-fail-on-empty-changeset", "--parameter-overrides", *overrides],
        check=True,
    )
    described = json.loads(_aws("cloudformation", "describe-stacks", "--stack-name", stack))
    return {o["OutputKey"]: o["OutputValue"] for o in described["Stacks"][0].get("Outputs", [])}


def api_stage_settings(stage: str, api_ids: dict[str, str], outputs: dict[str, str]) -> None:
    """Access logs and throttling on the API stages Chalice created (it has no setting for them)."""
    import boto3

    api_stage = build.stage_settings(stage)["ApiStage"]
    limit = {k: build.load_template()["Parameters"][k]["Default"] for k in THROTTLES}
    rest_format = json.dumps({"requestId": "$context.requestId", "ip": "$context.identity.sourceIp",
                              "path": "$context.path", "status": "$context.status"})
    boto3.client("apigateway").update_stage(
        restApiId=api_ids["RestApiId"], stageName=api_stage,
        patchOperations=[
            {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": outputs["RestApiAccessLogs"].removesuffix(":*")},
            {"op": "replace", "path": "/accessLogSettings/format", "value": rest_format},
            {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(limit["ApiRateLimit"])},
            {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(limit["ApiBurstLimit"])},
        ],
    )
    boto3.client("apigatewayv2").update_stage(
        ApiId=api_ids["WebsocketApiId"], StageName=api_stage,
        AccessLogSettings={"DestinationArn": outputs["WebsocketApiAccessLogs"].removesuffix(":*"),
                           "Format": json.dumps({"requestId": "$context.requestId", "route": "$context.routeKey",
                                                 "status": "$context.status", "connection": "$context.connectionId"})},
        DefaultRouteSettings={
            "ThrottlingRateLimit": limit["ChargerMessageRateLimit"],
            "ThrottlingBurstLimit": limit["ChargerMessageBurstLimit"],
        },
    )


def publish_frontend(outputs: dict[str, str]) -> None:
    """frontend/dist into the stack's bucket; CloudFront (there once the APIs are) re-reads index.html."""
    import boto3

    from infrastructure import frontend_publish

    done = frontend_publish.publish(
        boto3.client("s3"), outputs["FrontendBucketName"], cloudfront=boto3.client("cloudfront"),
        distribution=outputs.get("DistributionId"),
    )
    print(frontend_publish.report(done))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--out", default="build", type=Path)
    parser.add_argument("--deploy", action="store_true", help="deploy it with the aws CLI (else build and lint)")
    parser.add_argument("--alarm-email", default="")
    parser.add_argument("--allow-placeholders", action="store_true")
    args = parser.parse_args(argv)
    build.check_placeholders(args.stage, args.allow_placeholders)

    args.out.mkdir(parents=True, exist_ok=True)
    template_file = args.out / f"{args.stage}-infra.json"
    template_file.write_text(json.dumps(infra_template(args.stage), indent=2) + "\n")
    print(f"wrote {template_file}")
    if build.lint(template_file, dict(os.environ)) & 3:
        print(f"cfn-lint reported errors on {template_file}", file=sys.stderr)
        return 1
    if not args.deploy:
        return 0
    api_ids = deployed_api_ids(args.stage)
    outputs = deploy(args.stage, template_file, {**api_ids, "AlarmEmail": args.alarm_email})
    for key, value in write_outputs(args.stage, outputs, websocket_api_id=api_ids.get("WebsocketApiId")).items():
        print(f".chalice/config.json stages.{args.stage}: {key}={value}")
    identity = json.loads(_aws("sts", "get-caller-identity"))
    region = _aws("configure", "get", "region").strip() or build.DEFAULT_REGION
    policies.main(["--stage", args.stage, "--region", region, "--account", identity["Account"]])
    publish_frontend(outputs)
    if api_ids:
        api_stage_settings(args.stage, api_ids, outputs)
        print(f"chargers: wss://{outputs['DistributionDomainName']}/ocpp/<station id>")
    else:
        print(f"next: chalice deploy --stage {args.stage}, then make infra STAGE={args.stage} again (CloudFront)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
