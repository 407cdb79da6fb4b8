"""The local operators' passwords are written readable by their owner only."""

from __future__ import annotations

import json
import stat

from devstack.stack import LocalStack
from tests.devstack import echo_app


def test_credentials_file_is_owner_only(tmp_path, monkeypatch):
    monkeypatch.setattr("devstack.stack._seed", lambda: {"acme-admin": "s3cret-Passw0rd"})
    with LocalStack(data_dir=tmp_path, app_module=echo_app, table_prefix="csms-credtest-", seed=True):
        pass
    written = tmp_path / "credentials.json"
    assert json.loads(written.read_text()) == {"acme-admin": "s3cret-Passw0rd"}
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
