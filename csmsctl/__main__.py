"""csmsctl: create an organization and its first admin, import stations from a CSV, create an operator.

Points at AWS with the usual AWS_* settings and CSMS_TABLE_PREFIX, or at the local stack with
`--local` (reads the endpoint that `make run` wrote into its data folder).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from csmsctl.output import Output, quiet_libraries


def main(argv: list[str] | None = None, out: Output | None = None) -> int:
    args = _parser().parse_args(argv)
    out = out or Output()
    if args.local:
        _use_local_stack(Path(args.data_dir))
    with quiet_libraries():
        from chalicelib.storage.base import rebind
        from chalicelib.wiring import install_dynamodb

        rebind()
        install_dynamodb()
        return args.run(args, out)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="csmsctl", description=__doc__.splitlines()[0])
    parser.add_argument("--local", action="store_true", help="use the stack started by `make run`")
    parser.add_argument("--data-dir", default=os.environ.get("CSMS_DATA_DIR", ".local"))
    sub = parser.add_subparsers(required=True)

    org = sub.add_parser("create-organization", help="a new tenant, its top-level group and first admin")
    org.add_argument("--org", required=True, help="organization id, e.g. ACME")
    org.add_argument("--name", required=True, help="display name")
    org.add_argument("--time-zone", required=True, help="IANA name, e.g. Europe/Helsinki")
    org.add_argument("--root-group", help="name of the top-level group (default: --name)")
    _operator_arguments(org, prefix="admin-")
    org.set_defaults(run=_run("create_organization"))

    imp = sub.add_parser("import-stations", help="CSV columns: identifier,name,group_path[,password]")
    imp.add_argument("csv_file")
    imp.add_argument("--org", required=True, help="organization id, e.g. ACME")
    imp.set_defaults(run=_run("import_stations"))

    op = sub.add_parser("create-operator", help="create an admin or basic operator")
    op.add_argument("--org", required=True)
    _operator_arguments(op)
    op.add_argument("--role", choices=["admin", "basic"], required=True)
    op.add_argument("--base-group", required=True, help="existing group path, e.g. 'ACME Shopping Malls/ACME Pine Mall'")
    op.set_defaults(run=_run("create_operator"))
    return parser


def _operator_arguments(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    for name in ("username", "email", "first-name", "last-name"):
        parser.add_argument(f"--{prefix}{name}", dest=name.replace("-", "_"), required=True)
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input (else a prompt asks)"
    )


def _run(name: str):
    """Commands import the app's modules only when they run (so --help stays fast and quiet)."""

    def run(args, out: Output) -> int:
        from csmsctl import commands

        return getattr(commands, name)(args, out)

    return run


def _use_local_stack(data_dir: Path) -> None:
    endpoint_file = data_dir / "endpoint.json"
    if not endpoint_file.exists():
        raise SystemExit(f"no local stack running (missing {endpoint_file}); start it with `make run`")
    os.environ.update(json.loads(endpoint_file.read_text()))


if __name__ == "__main__":
    sys.exit(main())
