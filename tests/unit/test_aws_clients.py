"""The process's AWS clients: one session, a fixed User-Agent (not rebuilt from components per request)."""

from __future__ import annotations

import botocore

from chalicelib import aws


def test_every_client_sends_the_fixed_user_agent(monkeypatch):
    monkeypatch.setattr(aws, "_session", None)
    monkeypatch.setattr(aws, "_clients", {})
    seen: list[str] = []
    client = aws.client("dynamodb", "http://127.0.0.1:9")  # nothing listens: the request is read before sending

    def stop(request, **_):
        seen.append(request.headers["User-Agent"].decode() if isinstance(request.headers["User-Agent"], bytes)
                    else request.headers["User-Agent"])
        raise _Sent

    client.meta.events.register("before-send.dynamodb", stop)
    try:
        client.list_tables()
    except _Sent:
        pass
    [sent] = seen
    assert sent.startswith(f"csms botocore/{botocore.__version__}")  # + what powertools appends (PT/...), if loaded
    # A library's client (PynamoDB passes its own Config) keeps it: the session's default config is merged.
    from botocore.config import Config

    other = aws.session().create_client("dynamodb", region_name="eu-west-1", config=Config(retries={"max_attempts": 1}))
    assert other._client_config.user_agent == f"csms botocore/{botocore.__version__}"


class _Sent(Exception):
    pass
