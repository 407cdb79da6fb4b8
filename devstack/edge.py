"""The charger URL forms, rewritten to API Gateway's query string as the CloudFront function does."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

OCPP_PREFIX = "/ocpp"


def query_parameters(target: str) -> dict[str, list[str]] | None:
    """Multi-value query parameters for `/ocpp/<id>`, `/ocpp/<org>/<id>` or `/ocpp?...`; None: refuse.

    Path-derived values replace any query value of the same name, like the CloudFront function does.
    """
    parts = urlsplit(target)
    query: dict[str, list[str]] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(name, []).append(value)
    path = parts.path
    if path in (OCPP_PREFIX, OCPP_PREFIX + "/"):
        return query
    if not path.startswith(OCPP_PREFIX + "/"):
        return None
    segments = [unquote(s) for s in path[len(OCPP_PREFIX) + 1 :].split("/")]
    if any(not s for s in segments) or len(segments) > 2:
        return None
    if len(segments) == 2:
        query["organization"] = [segments[0]]
    query["chargePointId"] = [segments[-1]]
    return query
