"""The OpenAPI 3.1 document covers every route the app serves, and nothing else."""

from __future__ import annotations

import json


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_document_is_served_and_covers_every_route(client):
    import app

    # Given the app's registered routes
    served = {(method.lower(), path) for path, methods in app.app.routes.items() for method in methods}
    # When the document is fetched anonymously
    reply = client.get("/api/v1/openapi.json")
    # Then it is OpenAPI 3.1 and lists exactly those routes
    assert reply.status == 200
    doc = reply.body
    assert doc["openapi"].startswith("3.1")
    documented = {(method, path) for path, ops in doc["paths"].items() for method in ops}
    assert documented == served


def test_every_reference_resolves_and_every_operation_is_described(client):
    doc = client.get("/api/v1/openapi.json").body
    schemas = doc["components"]["schemas"]
    for ref in set(_refs(doc)):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[-1] in schemas, ref
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["summary"] and op["operationId"], (method, path)
            assert any(code.startswith("2") for code in op["responses"]), (method, path)
            for name in [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]:
                assert "{" + name + "}" in path
    json.dumps(doc)  # serializable as served


def test_operation_ids_are_unique(client):
    doc = client.get("/api/v1/openapi.json").body
    ids = [op["operationId"] for ops in doc["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
