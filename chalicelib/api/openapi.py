"""OpenAPI 3.1 document generated from the route table and its pydantic models."""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.api.routing import PUBLIC, ROUTES, Route, route
from chalicelib.api.schemas import ErrorOut

REF = "#/components/schemas/{model}"
_STANDARD_ERRORS = {
    400: "Invalid request",
    401: "Not logged in, or the session expired",
    403: "Access denied",
    404: "Not found, or outside the operator's domain",
    409: "Duplicate or concurrent modification",
    413: "Request body too large (64 KiB)",
    429: "Too many failed attempts: try again later",
    503: "Error #NN: a dependency failed",
}


def document(routes: list[Route] | None = None) -> dict:
    routes = ROUTES if routes is None else routes
    models: set[type[BaseModel]] = {ErrorOut}
    for r in routes:
        models.update(m for m in (r.body, r.response) if m is not None)
    keyed, top = models_json_schema(
        [(m, "validation" if any(m is r.body for r in routes) else "serialization") for m in sorted(models, key=lambda m: m.__name__)],
        ref_template=REF,
    )
    refs = {model: schema for (model, _mode), schema in keyed.items()}
    paths: dict = {}
    for r in routes:
        paths.setdefault(r.path, {})[r.method.lower()] = _operation(r, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CSMS operator API",
            "version": "1",
            "description": "Charging groups, stations, users and operators; JSON under /api/v1.",
        },
        "paths": paths,
        "components": {
            "schemas": top.get("$defs", {}),
            "securitySchemes": {"session": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"session": []}],
    }


def _operation(r: Route, refs: dict) -> dict:
    op: dict = {"operationId": r.name, "summary": r.summary, "tags": [r.tag]}
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for name in r.path_params
    ]
    if r.query is not None:
        schema = r.query.model_json_schema(ref_template=REF)
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    if params:
        op["parameters"] = params
    if r.body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": refs[r.body]}}}
    ok: dict = {"description": "OK" if r.status != 204 else "No content"}
    if r.response is not None:
        ok["content"] = {"application/json": {"schema": refs[r.response]}}
    responses = {str(r.status): ok}
    error_ref = refs[ErrorOut]
    statuses = set(r.errors) | {503}
    if r.body is not None or r.query is not None:
        statuses.add(400)
    if r.body is not None:
        statuses.add(413)
    if r.access != PUBLIC:
        statuses |= {401}
        op["security"] = [{"session": []}]
    else:
        op["security"] = []
    if r.access == "admin":
        statuses.add(403)
    if r.path_params:
        statuses.add(404)
    for status in sorted(statuses):
        responses[str(status)] = {
            "description": _STANDARD_ERRORS.get(status, "Error"),
            "content": {"application/json": {"schema": error_ref}},
        }
    op["responses"] = responses
    return op


@lru_cache(maxsize=1)
def _cached() -> dict:
    return document()


@route("GET", "/api/v1/openapi.json", summary="This API's OpenAPI 3.1 document", tag="meta", access=PUBLIC)
def openapi_document(ctx) -> dict:
    return _cached()
