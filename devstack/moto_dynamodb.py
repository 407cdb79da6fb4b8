"""DynamoDB JSON requests handed straight to moto's DynamoHandler, without werkzeug's Request or flask's routing.

On moto's WSGI path a GetItem built a WSGI environ, a werkzeug Request (whose lazy properties moto reads a
dozen times: headers, form, data, url), flask's request context, URL matching and response object and
flask-cors' after-request hook around moto's own work: about two thirds of the ~1.1 ms of CPU a GetItem cost
inside moto. Here moto's `DynamoHandler` still does everything it does (its `setup_class`: region, account,
IAM bookkeeping, querystring; its parameter parser; the action; error serialization; CRC32 and request id),
reading a small request object that carries exactly what it reads. The answer is rendered as flask would
render it: werkzeug's status line, the handler's headers in their order, flask-cors' wildcard origin.

Only requests that surely end at the DynamoDB handler take this path: POST / with X-Amz-Target
DynamoDB_20120810.<Action>, Content-Type application/x-amz-json-1.0, a SigV4 scope naming dynamodb, a body,
no Content-Encoding (moto would gunzip), no Origin (flask-cors would answer it differently) and moto's
request recorder off. Everything else (S3, SES, other DynamoDB clients) keeps the WSGI path.
Equivalence (byte for byte, both paths): tests/devstack/test_moto_dynamodb.py.
"""

from __future__ import annotations

from typing import Any

from moto.dynamodb.responses import DynamoHandler
from moto.moto_api import recorder
from moto.settings import DISABLE_GLOBAL_CORS
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.http import HTTP_STATUS_CODES

TARGET_PREFIX = "DynamoDB_20120810."
CONTENT_TYPE = "application/x-amz-json-1.0"
_EMPTY = ImmutableMultiDict()
_CORS = [] if DISABLE_GLOBAL_CORS else [("Access-Control-Allow-Origin", "*")]


class LowerCaseHeaders(dict):
    """Request headers keyed by lower-case name, looked up in any case: what moto reads of werkzeug's Headers
    (get, [], in), which look a name up by lower-casing every header's name in turn (a dozen times a request).
    Never iterated: moto iterates the headers only for a request with neither query nor body (not eligible)."""

    def get(self, name: str, default: Any = None) -> Any:
        return dict.get(self, name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return dict.__getitem__(self, name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and dict.__contains__(self, name.lower())


class DynamoRequest:
    """What moto's BaseResponse.setup_class and parse_parameters read of a request, for one DynamoDB call."""

    from_wsgi_server = True  # as moto's BackendRequest: moto adds no Date header, the server does
    form = files = values = _EMPTY  # a JSON body: werkzeug parses no form
    content_encoding = None
    content_type = CONTENT_TYPE
    method = "POST"
    path = raw_path = "/"

    def __init__(self, headers: LowerCaseHeaders, body: bytes, host: str) -> None:
        self.headers = headers
        self.data = body
        self.raw_url = f"http://{host}/"
        self.environ: dict[str, Any] = {}


def eligible(method: str, target: str, headers: dict[str, str], body: bytes) -> bool:
    """True for a request moto's dispatcher would surely hand to DynamoHandler, as botocore sends them.

    `headers` maps lower-case names to values (repeated headers joined with "," as in a WSGI environ)."""
    return (
        method == "POST"
        and target == "/"
        and headers.get("x-amz-target", "").startswith(TARGET_PREFIX)
        and headers.get("content-type") == CONTENT_TYPE
        and _scope_service(headers.get("authorization", "")) == "dynamodb"
        and "host" in headers
        and len(body) > 0
        and "content-encoding" not in headers
        and "origin" not in headers
        and not recorder._user_enabled
    )


def answer(headers: dict[str, str], body: bytes) -> tuple[str, list[tuple[str, str]], bytes]:
    """moto's answer to one eligible request: (status line, headers, body) as its flask app would give them.

    `headers` as `eligible` takes them. An exception moto raises (a request its handler cannot read)
    propagates, as flask (debug) lets it."""
    handler = DynamoHandler()
    handler.setup_class(DynamoRequest(LowerCaseHeaders(headers), body, headers["host"]))
    status, headers, content = handler.call_action()
    rendered = [(name, str(value)) for name, value in headers.items()]
    if not any(name.lower() == "content-type" for name, _ in rendered):
        rendered.append(("Content-Type", "text/html; charset=utf-8"))  # werkzeug's default mimetype
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    return _status_line(int(status)), rendered + _CORS, data


def _status_line(code: int) -> str:
    """werkzeug's Response status for an integer code: the reason in capitals."""
    reason = HTTP_STATUS_CODES.get(code)
    return f"{code} {reason.upper()}" if reason else f"{code} UNKNOWN"


def _scope_service(authorization: str) -> str:
    """The service of a SigV4 credential scope, read as moto's dispatcher reads it ("" where it could not)."""
    try:
        _, _, _, service, _ = authorization.split(",")[0].split()[1].split("/")
    except (ValueError, IndexError):
        return ""
    return service.lower()
