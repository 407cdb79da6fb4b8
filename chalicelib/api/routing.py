"""One declarative route table for the REST API and the one pipeline every request goes through.

A route module declares its routes with `@route(...)`; `mount` registers them on the Chalice app.
Each request: authenticate (unless public) -> role check -> validate query and body with the
route's pydantic models -> call the handler -> serialize its response model. Errors are translated
here once: a DomainError to its status and the manual's text, anything else to "Error #NN".
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ValidationError

from chalicelib import clock
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import DomainError, Unavailable
from chalicelib.observability import logger, traced
from chalicelib.ports.paging import InvalidCursor

PUBLIC = "public"  # no session needed (log in, lost password, health, the OpenAPI document)
OPERATOR = "operator"  # any active operator
ADMIN = "admin"  # admin operators only: basic ones get "Access denied."

ERROR_TEXT = "Error #{code} encountered. If this error persists, please consult user manual for further actions."
# Stable codes of "Error #NN": which dependency failed after its retries.
CODE_STORAGE = 10
CODE_AWS = 11
CODE_UNEXPECTED = 99

# Request bodies are small forms: the biggest legitimate one is a few KiB. Both limits are checked
# before pydantic sees the body, so a hostile body costs one bounded parse and gets a 4xx.
MAX_BODY_BYTES = 64 * 1024
MAX_BODY_DEPTH = 32
BODY_TOO_LARGE = "Request body too large: the limit is 64 KiB."
BODY_TOO_DEEP = f"Invalid request: the body is nested more than {MAX_BODY_DEPTH} levels deep."
BODY_NOT_OBJECT = "Invalid request: the body must be a JSON object."
INVALID_CURSOR = "Invalid cursor."


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Callable
    summary: str
    tag: str
    access: str = OPERATOR
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.handler.__module__.rsplit('.', 1)[-1]}_{self.handler.__name__}"

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


ROUTES: list[Route] = []


def route(
    method: str,
    path: str,
    *,
    summary: str,
    tag: str,
    access: str = OPERATOR,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
):
    """Declare a route; the handler is called as handler(ctx, **path_params[, body=][, query=])."""

    def declare(handler: Callable) -> Callable:
        ROUTES.append(Route(method, path, handler, summary, tag, access, body, query, response, status, errors))
        return handler

    return declare


@dataclass
class Ctx:
    """What a handler knows about the request: who asks, when, and how to name it in the logs."""

    principal: Principal | None
    now: datetime
    request_id: str
    token: str | None = None
    source_ip: str = "unknown"  # the client's address (CloudFront's viewer address when behind it)
    headers: dict = field(default_factory=dict)

    @property
    def operator(self) -> Principal:
        assert self.principal is not None, "public route asked for the operator"
        return self.principal


def bearer_token(headers: dict) -> str | None:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def error_body(status: int, message: str, request_id: str, **extra) -> dict:
    return {"message": message, "request_id": request_id, **extra}


def dispatch(route_: Route, request, uri_params: dict) -> tuple[int, dict | None]:
    """Run one request through the pipeline; returns (status, JSON body or None)."""
    from chalicelib.domain import sessions, throttle

    context = request.context or {}
    request_id = context.get("requestId") or uuid.uuid4().hex
    headers = {k.lower(): v for k, v in (request.headers or {}).items()}
    now = clock.now()
    source = throttle.source_address((context.get("identity") or {}).get("sourceIp"), headers)
    ctx = Ctx(None, now, request_id, bearer_token(headers), source, headers)
    logger.append_keys(request_id=request_id, route=f"{route_.method} {route_.path}")
    try:
        if route_.access != PUBLIC:
            ctx.principal = sessions.resolve(ctx.token, now)
            logger.append_keys(operator=ctx.principal.username)
            if route_.access == ADMIN:
                ctx.principal.require_admin()
        kwargs = dict(uri_params or {})
        if route_.query is not None:
            kwargs["query"] = route_.query.model_validate(_query_params(request))
        if route_.body is not None:
            kwargs["body"] = route_.body.model_validate(_json_body(request))
        result = route_.handler(ctx, **kwargs)
        if result is None:
            return route_.status, None
        if isinstance(result, BaseModel):
            return route_.status, result.model_dump(mode="json")
        return route_.status, result
    except ValidationError as exc:
        return 400, error_body(400, "Invalid request.", request_id, errors=_validation_errors(exc))
    except BadBody as exc:
        return exc.status, error_body(exc.status, exc.message, request_id)
    except Unavailable as exc:
        logger.warning("dependency unavailable", extra={"code": exc.code, "detail": exc.message})
        return 503, error_body(503, ERROR_TEXT.format(code=exc.code), request_id, code=exc.code)
    except DomainError as exc:
        return exc.status, error_body(exc.status, exc.message, request_id)
    except InvalidCursor:  # storage's paging error, the same text for every listing
        return 400, error_body(400, INVALID_CURSOR, request_id)
    except Exception as exc:  # noqa: BLE001 - the one place that turns failures into "Error #NN"
        code = _failure_code(exc)
        logger.exception("request failed", extra={"code": code})
        status = 500 if code == CODE_UNEXPECTED else 503
        return status, error_body(status, ERROR_TEXT.format(code=code), request_id, code=code)
    finally:
        logger.remove_keys(["request_id", "route", "operator"])


class BadBody(Exception):
    """A body refused before validation: too large (413), not JSON, not an object, or too deep (400)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _json_body(request):
    raw = request.raw_body
    if not raw:
        return {}
    if len(raw) > MAX_BODY_BYTES:
        raise BadBody(413, BODY_TOO_LARGE)
    import json

    try:
        value = json.loads(raw)
    except RecursionError as exc:  # the C parser's own guard, far above MAX_BODY_DEPTH
        raise BadBody(400, BODY_TOO_DEEP) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadBody(400, BODY_NOT_OBJECT) from exc
    if not isinstance(value, dict):
        raise BadBody(400, BODY_NOT_OBJECT)
    if _depth(value) > MAX_BODY_DEPTH:
        raise BadBody(400, BODY_TOO_DEEP)
    return value


def _depth(value) -> int:
    """Nesting depth of parsed JSON, walked with an explicit stack (no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_BODY_DEPTH:
            return deepest
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _query_params(request) -> dict:
    return dict(request.query_params or {})


def _validation_errors(exc: ValidationError) -> list[dict]:
    return [
        {"field": ".".join(str(p) for p in error["loc"]), "message": error["msg"]}
        for error in exc.errors(include_url=False, include_input=False)
    ]


def _failure_code(exc: Exception) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from chalicelib.ports.registry import store

    # Storage's typed errors, and its library's exceptions that escaped translation (the installed
    # store recognises those: the edge imports nothing of storage).
    if store().storage_error(exc) is not None:
        return CODE_STORAGE
    if isinstance(exc, BotoCoreError | ClientError):
        return CODE_AWS
    return CODE_UNEXPECTED


def mount(app, routes: list[Route]) -> None:
    """Register every route on the Chalice app, each through `dispatch`."""
    from chalice import Response

    for route_ in routes:

        def view(_route=route_, **uri_params):
            with traced(f"{_route.method} {_route.path}", route=_route.name):
                status, body = dispatch(_route, app.current_request, uri_params)
            if body is None:
                return Response(status_code=status, body="")
            return Response(status_code=status, body=body, headers={"Content-Type": "application/json"})

        app.route(route_.path, methods=[route_.method], name=route_.name)(view)
