"""Build the deployable template of a stage: `chalice package` merged with infrastructure/template.yaml.

    python -m infrastructure.build --stage dev --out build/

writes build/<stage>-merge.json (the merge template: template.yaml + one DynamoDB table per entry of
`table_definitions()` + the inlined CloudFront Function) and build/<stage>/ (`sam.json` and
`deployment.zip`, from `chalice package --merge-template`), then lints build/<stage>/sam.json with
cfn-lint and exits non-zero when it reports errors. Deploy with `aws cloudformation package/deploy`
(or `sam deploy`) on build/<stage>/sam.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infrastructure" / "template.yaml"
FUNCTION_SOURCE = ROOT / "infrastructure" / "cloudfront" / "ocpp-rewrite.js"
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"
DEFAULT_REGION = "eu-west-1"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Logical ids that `chalice package` emits and template.yaml refers to.
CHALICE_RESOURCES = ("RestAPI", "WebsocketAPI")
FUNCTION_RESOURCE = "OcppRewriteFunction"
STAGE_PATH_LINE = re.compile(r"^var STAGE_PATH = '[^']*';$", re.MULTILINE)


# --- template.yaml with CloudFormation short-form tags -----------------------------------------


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns `!Ref x` into {"Ref": x} and `!Sub s` into {"Fn::Sub": s}."""


def _construct_tag(loader: _CfnLoader, tag_suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{tag_suffix}": value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path = TEMPLATE) -> dict:
    return yaml.load(path.read_text(), Loader=_CfnLoader)  # noqa: S506 (SafeLoader subclass)


# --- stage settings from .chalice/config.json -------------------------------------------------


PLACEHOLDER_HOSTS = re.compile(r"(^|[.@/])(example\.(com|org|net)|[^./]+\.example|localhost|127\.0\.0\.1)(:\d+)?(/|$)")
STRICT_STAGES = ("prod",)


def placeholder_problems(env: dict[str, str]) -> list[str]:
    """Values that would send mail from, or links to, a domain nobody owns."""
    problems = []
    for key in ("CSMS_PUBLIC_URL", "CSMS_MAIL_SENDER"):
        value = env.get(key, "")
        if not value or PLACEHOLDER_HOSTS.search(value.lower()):
            problems.append(f"{key}={value!r} is a placeholder: set the real value in .chalice/config.json")
    return problems


def stage_env(stage: str, config_path: Path = CHALICE_CONFIG) -> dict[str, str]:
    config = json.loads(config_path.read_text())
    stage_config = config.get("stages", {}).get(stage, {})
    return {**config.get("environment_variables", {}), **stage_config.get("environment_variables", {})}


# chalice packages for the Python it runs under, and that becomes the functions' Lambda runtime.
RUNTIME = (3, 12)


def runtime_problems(version: tuple[int, int]) -> list[str]:
    if tuple(version) == RUNTIME:
        return []
    wanted = "python{}.{}".format(*RUNTIME)
    return [f"this venv runs Python {version[0]}.{version[1]}: the Lambda runtime must be {wanted} (make clean; make test)"]


def check_placeholders(
    stage: str, allow: bool, config_path: Path = CHALICE_CONFIG, version: tuple[int, int] | None = None
) -> None:
    """A deployable build of a strict stage needs real URL and sender, and the runtime's Python."""
    problems = placeholder_problems(stage_env(stage, config_path)) + runtime_problems(version or sys.version_info[:2])
    if problems and stage in STRICT_STAGES and not allow:
        raise SystemExit(f"stage {stage!r} is not deployable:\n  " + "\n  ".join(problems))


def stage_settings(stage: str, config_path: Path = CHALICE_CONFIG) -> dict[str, str]:
    """The values the template must share with the Lambda environment of `stage`."""
    config = json.loads(config_path.read_text())
    if stage not in config.get("stages", {}):
        raise SystemExit(f"unknown stage {stage!r}: not in {config_path}")
    stage_config = config["stages"][stage]
    env = {**config.get("environment_variables", {}), **stage_config.get("environment_variables", {})}
    api_stage = stage_config.get("api_gateway_stage", config.get("api_gateway_stage", "api"))
    for key in ("CSMS_TABLE_PREFIX", "CSMS_MAIL_SENDER"):
        if not env.get(key):
            raise SystemExit(f"stage {stage!r} has no {key} in {config_path}")
    return {
        "Stage": stage,
        "TablePrefix": env["CSMS_TABLE_PREFIX"],
        "ApiStage": api_stage,
        "MailDomain": env["CSMS_MAIL_SENDER"].rpartition("@")[2],
    }


# --- the merge template -----------------------------------------------------------------------


def table_logical_id(suffix: str) -> str:
    return "Table" + "".join(part.capitalize() for part in re.split(r"[-_]", suffix))


def table_resources() -> dict[str, dict]:
    """One AWS::DynamoDB::Table per physical table of the models."""
    from chalicelib.storage.tables import table_definitions

    resources: dict[str, dict] = {}
    for suffix, props in table_definitions().items():
        resources[table_logical_id(suffix)] = {
            "Type": "AWS::DynamoDB::Table",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "TableName": {"Fn::Sub": "${TablePrefix}" + suffix},
                **json.loads(json.dumps(props)),
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                "DeletionProtectionEnabled": True,
            },
        }
    return resources


def function_code(api_stage: str, source: Path = FUNCTION_SOURCE) -> str:
    code, count = STAGE_PATH_LINE.subn(f"var STAGE_PATH = '/{api_stage}';", source.read_text())
    if count != 1:
        raise SystemExit(f"{source}: expected one `var STAGE_PATH = '...';` line")
    return code


def _log_retention(stage: str, config_path: Path = CHALICE_CONFIG) -> bool:
    config = json.loads(config_path.read_text())
    stage_config = config["stages"][stage]
    return bool(stage_config.get("log_retention_in_days", config.get("log_retention_in_days")))


def _log_group_fix() -> dict:
    """Chalice 1.34 names the REST handler's log group after `${ApiHandler}`, but the function's
    logical id is `APIHandler`: point the log group at the real function."""
    return {"ApiHandlerLogGroup": {"Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${APIHandler}"}}}}


def merge_template(stage: str) -> dict:
    from infrastructure import policies

    settings = stage_settings(stage)
    policies.write_policy_files(stage, None)  # chalice package needs the files; the merge replaces them
    template = load_template()
    for name, value in settings.items():
        template["Parameters"][name].update({"Default": value, "AllowedValues": [value]})
    resources = template["Resources"]
    resources[FUNCTION_RESOURCE]["Properties"]["FunctionCode"] = function_code(settings["ApiStage"])
    if _log_retention(stage):
        resources.update(_log_group_fix())
    tables = table_resources()
    clash = set(tables) & set(resources)
    if clash:
        raise SystemExit(f"template.yaml declares generated resources: {sorted(clash)}")
    resources.update(tables)
    resources.update(policies.cfn_overrides())
    resources.update(alarms(stage))
    resources["Dashboard"] = _dashboard()
    return template


# --- alarms ------------------------------------------------------------------------------------


def function_timeouts(stage: str, config_path: Path = CHALICE_CONFIG) -> dict[str, int]:
    """Chalice function name -> its timeout in seconds, as chalice resolves it."""
    from infrastructure.policies import function_needs

    config = json.loads(config_path.read_text())
    stage_config = config["stages"][stage]
    timeouts = {}
    for function in function_needs():
        layers = (config, config.get("lambda_functions", {}).get(function, {}), stage_config,
                  stage_config.get("lambda_functions", {}).get(function, {}))
        timeouts[function] = next(int(c["lambda_timeout"]) for c in reversed(layers) if "lambda_timeout" in c)
    return timeouts


def _alarm(function_id: str, metric: str, statistic: str, threshold: float, what: str) -> dict:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": {"Fn::Sub": f"csms ${{Stage}} {function_id}: {what}"},
            "Namespace": "AWS/Lambda",
            "MetricName": metric,
            "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": function_id}}],
            "Statistic": statistic,
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": threshold,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
            "OKActions": [{"Ref": "AlarmTopic"}],
        },
    }


def alarms(stage: str) -> dict[str, dict]:
    """Per function: any error, any throttle, and a run within 10 % of its timeout (about to time out)."""
    from infrastructure.policies import logical_id

    resources = {}
    for function, timeout in function_timeouts(stage).items():
        fid = logical_id(function)
        resources[f"{fid}ErrorsAlarm"] = _alarm(fid, "Errors", "Sum", 1, "errors")
        resources[f"{fid}ThrottlesAlarm"] = _alarm(fid, "Throttles", "Sum", 1, "throttled invocations")
        near = timeout * 1000 * 0.9
        resources[f"{fid}TimeoutAlarm"] = _alarm(fid, "Duration", "Maximum", near, f"a run near its {timeout} s timeout")
    return resources


def _dashboard() -> dict:
    from infrastructure.dashboard import dashboard_resource
    from infrastructure.policies import function_needs, logical_id

    return dashboard_resource({"Fn" + logical_id(f): {"Ref": logical_id(f)} for f in function_needs()})


# --- chalice package + cfn-lint ---------------------------------------------------------------


def _bin(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else name


def package(stage: str, merge_file: Path, outdir: Path, env: dict[str, str]) -> None:
    if outdir.exists():
        shutil.rmtree(outdir)
    cmd = [
        _bin("chalice"),
        "--project-dir",
        str(ROOT),
        "package",
        "--stage",
        stage,
        "--merge-template",
        str(merge_file),
        str(outdir),
    ]
    subprocess.run(cmd, check=True, env=env)


def check_packaged(sam_file: Path, expected_tables: set[str]) -> None:
    """The merge must have landed on chalice's resources, not beside them."""
    resources = json.loads(sam_file.read_text())["Resources"]
    untyped = sorted(k for k, v in resources.items() if "Type" not in v)
    if untyped:
        raise SystemExit(f"merge created resources chalice did not emit: {untyped}")
    missing = [k for k in (*CHALICE_RESOURCES, *expected_tables) if k not in resources]
    if missing:
        raise SystemExit(f"{sam_file} lacks {missing}")


def package_size_line(zip_file: Path) -> str:
    """Lambda refuses more than 50 MB zipped / 250 MB unzipped; the size also drives cold starts."""
    import zipfile

    with zipfile.ZipFile(zip_file) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    return f"deployment package {zip_file}: {zip_file.stat().st_size / 1e6:.1f} MB zipped, {unzipped / 1e6:.1f} MB unzipped"


def lint(sam_file: Path, env: dict[str, str]) -> int:
    """cfn-lint exit code is a bit mask: 2 errors, 4 warnings, 8 informational."""
    result = subprocess.run([_bin("cfn-lint"), "--", str(sam_file)], env=env)
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--out", default="build", type=Path)
    parser.add_argument("--no-lint", action="store_true")
    parser.add_argument(
        "--allow-placeholders", action="store_true", help="check the template of a stage whose URL/sender are not set yet"
    )
    args = parser.parse_args(argv)
    check_placeholders(args.stage, args.allow_placeholders)

    env = dict(os.environ)
    env.setdefault("AWS_DEFAULT_REGION", env.get("AWS_REGION") or DEFAULT_REGION)
    os.environ.setdefault("AWS_DEFAULT_REGION", env["AWS_DEFAULT_REGION"])

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    template = merge_template(args.stage)
    merge_file = out / f"{args.stage}-merge.json"
    merge_file.write_text(json.dumps(template, indent=2) + "\n")

    stage_dir = out / args.stage
    package(args.stage, merge_file, stage_dir, env)
    sam_file = stage_dir / "sam.json"
    check_packaged(sam_file, {k for k in template["Resources"] if k.startswith("Table")})
    print(f"packaged {sam_file}")
    print(package_size_line(stage_dir / "deployment.zip"))
    if args.no_lint:
        return 0
    code = lint(sam_file, env)
    if code & 2 or code & 1 or code >= 16:
        print(f"cfn-lint reported errors on {sam_file}", file=sys.stderr)
        return 1
    print(f"cfn-lint: no errors on {sam_file}" + (" (see warnings above)" if code & 4 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
