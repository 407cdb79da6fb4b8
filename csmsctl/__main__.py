"""csmsctl: import stations from a CSV, create an operator.

Points at AWS with the usual AWS_* settings and CSMS_TABLE_PREFIX, or at the local stack with
`--local` (reads the endpoint that `make run` wrote into its data folder).
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("csmsctl")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.local:
        _use_local_stack(Path(args.data_dir))
    from chalicelib.storage.base import rebind

    rebind()
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="csmsctl", description=__doc__.splitlines()[0])
    parser.add_argument("--local", action="store_true", help="use the stack started by `make run`")
    parser.add_argument("--data-dir", default=os.environ.get("CSMS_DATA_DIR", ".local"))
    sub = parser.add_subparsers(required=True)

    imp = sub.add_parser("import-stations", help="CSV columns: identifier,name,group_path[,password]")
    imp.add_argument("csv_file")
    imp.add_argument("--org", required=True, help="organization id, e.g. ACME")
    imp.set_defaults(run=import_stations)

    op = sub.add_parser("create-operator", help="create an admin or basic operator")
    op.add_argument("--org", required=True)
    op.add_argument("--username", required=True)
    op.add_argument("--email", required=True)
    op.add_argument("--first-name", required=True)
    op.add_argument("--last-name", required=True)
    op.add_argument("--role", choices=["admin", "basic"], required=True)
    op.add_argument("--base-group", required=True, help="group path, e.g. 'ACME Shopping Malls/ACME Pine Mall'")
    op.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    op.set_defaults(run=create_operator)
    return parser


def _use_local_stack(data_dir: Path) -> None:
    endpoint_file = data_dir / "endpoint.json"
    if not endpoint_file.exists():
        raise SystemExit(f"no local stack running (missing {endpoint_file}); start it with `make run`")
    os.environ.update(json.loads(endpoint_file.read_text()))


def _group(org: str, path: str):
    from chalicelib.domain import provisioning

    names = [n.strip() for n in path.split("/") if n.strip()]
    return provisioning.ensure_group_path(org, names) if names else None


def import_stations(args) -> int:
    from chalicelib.domain.provisioning import ProvisioningError, create_station

    created = failed = 0
    with open(args.csv_file, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if rows and rows[0] and rows[0][0].strip().lower() == "identifier":
        rows = rows[1:]
    for number, row in enumerate(rows, start=1):
        if not row or not row[0].strip():
            continue
        identifier, name, path, password = (row + ["", "", ""])[:4]
        try:
            create_station(args.org, identifier.strip(), name.strip() or None, _group(args.org, path), password or None)
            created += 1
            log.info("[%d/%d] %s created", number, len(rows), identifier)
        except ProvisioningError as exc:
            failed += 1
            log.error("[%d/%d] %s: %s", number, len(rows), identifier, exc)
    log.info("%d created, %d failed", created, failed)
    return 1 if failed else 0


def create_operator(args) -> int:
    from chalicelib.domain.provisioning import ProvisioningError
    from chalicelib.domain.provisioning import create_operator as create

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    group = _group(args.org, args.base_group)
    try:
        create(args.org, args.username, password, args.email, args.first_name, args.last_name, args.role, group.group_id)
    except ProvisioningError as exc:
        log.error("%s", exc)
        return 1
    log.info("operator %s created (%s)", args.username, args.role)
    return 0


if __name__ == "__main__":
    sys.exit(main())
