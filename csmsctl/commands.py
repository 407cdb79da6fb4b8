"""The csmsctl commands: each prints a line per result and a summary, and returns the exit code."""

from __future__ import annotations

import csv

from chalicelib.domain import provisioning
from chalicelib.domain.provisioning import ProvisioningError
from chalicelib.storage import organizations
from csmsctl.output import Output
from csmsctl.passwords import PasswordRefused, read_password

NO_ORGANIZATION = "organization {org} does not exist: create it first with `csmsctl create-organization`"


def _names(path: str) -> list[str]:
    return [n.strip() for n in path.split("/") if n.strip()]


def create_organization(args, out: Output) -> int:
    try:
        password = read_password(args.username, args.password_stdin)
        org = provisioning.create_organization(args.org, args.name, args.time_zone)
    except (PasswordRefused, ProvisioningError) as exc:
        out.error(str(exc))
        return 1
    root = provisioning.ensure_group_path(args.org, [args.root_group or args.name])
    out.line(f"organization {org.org_id} created ({org.name}, time zone {org.timezone})")
    out.line(f"top-level group {root.name!r} created")
    return _new_operator(args, out, "admin", root, password)


def create_operator(args, out: Output) -> int:
    if organizations.get_organization(args.org) is None:
        out.error(NO_ORGANIZATION.format(org=args.org))
        return 1
    group = provisioning.find_group_path(args.org, _names(args.base_group))
    if group is None:
        out.error(f"no group {args.base_group!r} in organization {args.org}: give the path of an existing group")
        return 1
    try:
        password = read_password(args.username, args.password_stdin)
    except PasswordRefused as exc:
        out.error(str(exc))
        return 1
    return _new_operator(args, out, args.role, group, password)


def _new_operator(args, out: Output, role: str, group, password: str) -> int:
    try:
        provisioning.create_operator(
            args.org, args.username, password, args.email, args.first_name, args.last_name, role, group.group_id
        )
    except ProvisioningError as exc:
        out.error(f"operator {args.username}: {exc}")
        return 1
    out.line(f"operator {args.username} created ({role}, base group {group.name!r})")
    return 0


def import_stations(args, out: Output) -> int:
    if organizations.get_organization(args.org) is None:
        out.error(NO_ORGANIZATION.format(org=args.org))
        return 1
    rows = _station_rows(args.csv_file)
    created = 0
    for number, (identifier, name, path, password) in enumerate(rows, start=1):
        where = f"[{number}/{len(rows)}] {identifier}"
        try:
            group = provisioning.ensure_group_path(args.org, _names(path)) if _names(path) else None
            provisioning.create_station(args.org, identifier, name or None, group, password or None)
        except ProvisioningError as exc:
            out.error(f"{where}: {exc}")
            continue
        created += 1
        out.line(f"{where}: created" + (f" in {group.name!r}" if group else " (no group)"))
    failed = len(rows) - created
    out.line(f"{created} created, {failed} failed, {len(rows)} rows read from {args.csv_file}")
    return 1 if failed else 0


def _station_rows(csv_file: str) -> list[tuple[str, str, str, str]]:
    with open(csv_file, newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle) if row and row[0].strip()]
    if rows and rows[0][0].strip().lower() == "identifier":
        rows = rows[1:]
    # A station password is taken as written; the other cells lose surrounding blanks.
    padded = [(row + ["", "", ""])[:4] for row in rows]
    return [(ident.strip(), name.strip(), path.strip(), password) for ident, name, path, password in padded]
