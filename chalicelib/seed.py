"""Demo data from the manual's own examples, seeded on the first local start (idempotent)."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from pathlib import Path

from chalicelib.domain import provisioning as p
from chalicelib.ports import errors
from chalicelib.ports.registry import store

ORG = "ACME"
MALLS = {
    "ACME Pine Mall": ["EVI00000013", "EVI00000014"],
    "ACME Birch Mall": ["EVI00000015", "EVI00000016"],
    "ACME Maple Mall": ["EVI00000017", "EVI00000018"],
}
USERS = [
    ("Scrooge", "McDuck", "scrooge@duckburg.com", [{"id": "12345678", "name": "Scrooge's home charger"}]),
    ("Donald", "Duck", "dduck@duckburg.com", []),
    ("Gosalyn", "Mallard", "gosalyn@duckburg.com", []),
    ("Drake", "Mallard", "drake@duckburg.com", []),
    ("Flintheart", "Cloudbird", "flint@duckburg.com", []),
]
OPERATORS = [
    ("acme-admin", "admin", "Mamercus", "Mamercus", "mamercus@acmeshoppingmail.com"),
    ("acme-basic", "basic", "Manius", "Maximus", "manius@acmeshoppingmail.com"),
]


def seed_demo(data_dir: str | Path | None = None) -> dict:
    """Create the ACME demo organization in the installed store; returns the local operators' credentials."""
    p.ensure_organization(ORG, "ACME", timezone="Europe/Helsinki")
    root = p.ensure_group_path(ORG, ["ACME Shopping Malls"])
    for mall, station_ids in MALLS.items():
        group = p.ensure_group_path(ORG, ["ACME Shopping Malls", mall])
        for station_id in station_ids:
            p.create_station(ORG, station_id, name=station_id, group=group, exist_ok=True)
    duckburg = p.ensure_user_group(ORG, "Duckburg", home_group_id=root.group_id)
    since = datetime(2018, 4, 13, tzinfo=UTC)
    for first, last, email, tokens in USERS:
        p.ensure_charging_user(
            ORG, first, last, email, duckburg, [root], [dict(t, valid_from=since) for t in tokens], home_group_id=root.group_id
        )
    return _operators(root.group_id, Path(data_dir) if data_dir else None)


def _operators(base_group_id: str, data_dir: Path | None) -> dict:
    saved = data_dir / "demo-credentials.json" if data_dir else None
    credentials = json.loads(saved.read_text()) if saved and saved.exists() else {}
    for username, role, first, last, email in OPERATORS:
        if username in credentials and store().operators.operator(username) is not None:
            continue
        password = secrets.token_urlsafe(12)
        try:
            store().operators.delete_operator(username)
        except errors.NotFound:
            pass
        p.create_operator(ORG, username, password, email, first, last, role, base_group_id)
        credentials[username] = password
    if saved:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(credentials, indent=2))
        saved.chmod(0o600)
    return credentials
