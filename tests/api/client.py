"""Calls the Chalice app's REST routes as API Gateway would (chalice's LocalGateway), no server."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalice.config import Config
from chalice.local import LocalGateway, LocalGatewayException


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict

    @property
    def message(self) -> str | None:
        return self.body.get("message") if isinstance(self.body, dict) else None


class ApiClient:
    def __init__(self, app, token: str | None = None) -> None:
        self._app = app
        self._gateway = LocalGateway(app, Config.create())
        self.token = token

    def as_token(self, token: str | None) -> ApiClient:
        return ApiClient(self._app, token)

    def request(self, method: str, path: str, body: Any = None, headers: dict | None = None) -> Reply:
        sent = {"content-type": "application/json", **(headers or {})}
        if self.token:
            sent.setdefault("authorization", f"Bearer {self.token}")
        raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        try:
            response = self._gateway.handle_request(method=method, path=path, headers=sent, body=raw)
        except LocalGatewayException as exc:
            return Reply(exc.CODE, exc.body, exc.headers or {})
        text = response["body"]
        if isinstance(text, bytes):
            text = text.decode()
        parsed = json.loads(text) if text else None
        return Reply(response["statusCode"], parsed, response.get("headers") or {})

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw) -> Reply:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw) -> Reply:
        return self.request("PUT", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw) -> Reply:
        return self.request("PATCH", path, body, **kw)

    def delete(self, path: str, body: Any = None, **kw) -> Reply:
        return self.request("DELETE", path, body, **kw)

    def login(self, username: str, password: str) -> ApiClient:
        reply = self.post("/api/v1/auth/login", {"username": username, "password": password})
        assert reply.status == 200, reply
        return self.as_token(reply.body["token"])
