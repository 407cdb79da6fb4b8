"""Calls to chargers: one typed sender over @connections, the same for WebSocket, REST and scheduled functions.

In AWS the endpoint is the WebSocket API's stage (`CSMS_WEBSOCKET_API_ID`, `CSMS_WEBSOCKET_STAGE`, or
the API id and stage of the WebSocket event that invoked this function); on the local stack it is the
local gateway's management API (`CSMS_WS_MANAGEMENT_ENDPOINT`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalice.app import WebsocketDisconnectedError

from chalicelib import aws
from chalicelib.settings import Settings, get_settings


class ChargerGone(WebsocketDisconnectedError):
    """The charger's connection is closed (@connections answered 410 Gone)."""

    # A WebsocketDisconnectedError too, so code written against chalice's WebsocketAPI keeps working.
    def __init__(self, connection_id: str) -> None:
        super().__init__(connection_id)
        self.connection_id = connection_id


class GatewayNotConfigured(RuntimeError):
    """No WebSocket API is known to this function: set CSMS_WEBSOCKET_API_ID and CSMS_WEBSOCKET_STAGE."""


@dataclass(frozen=True)
class ConnectionInfo:
    """What @connections GET tells about a live connection."""

    connection_id: str
    connected_at: datetime
    last_active_at: datetime
    source_ip: str | None
    user_agent: str | None


class Sender:
    """send / close / connection_info on the connections of one WebSocket API stage."""

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url

    def send(self, connection_id: str, text: str) -> None:
        """POST one frame to the charger; ChargerGone when its connection is closed."""
        self._call("post_to_connection", connection_id, Data=text.encode())

    def close(self, connection_id: str) -> None:
        """DELETE the connection (API Gateway closes the socket and runs $disconnect)."""
        self._call("delete_connection", connection_id)

    def connection_info(self, connection_id: str) -> ConnectionInfo:
        answer = self._call("get_connection", connection_id)
        identity = answer.get("Identity") or {}
        return ConnectionInfo(
            connection_id,
            answer["ConnectedAt"],
            answer["LastActiveAt"],
            identity.get("SourceIp"),
            identity.get("UserAgent"),
        )

    def _call(self, operation: str, connection_id: str, **params: Any) -> dict:
        client = aws.connections(self.endpoint_url)
        try:
            return getattr(client, operation)(ConnectionId=connection_id, **params)
        except client.exceptions.GoneException:
            raise ChargerGone(connection_id) from None


# The API id and stage of the WebSocket event being handled (chalice hands them to ws/gateway_api.py).
_event_api: tuple[str, str] | None = None
_senders: dict[str, Sender] = {}


def learn(api_id: str, stage: str) -> None:
    """Remember the WebSocket API that invoked this function (for `chalice deploy`, which sets no env)."""
    global _event_api
    _event_api = (api_id, stage)


def sender() -> Sender:
    """The sender for this function's WebSocket API."""
    url = endpoint_url(get_settings(), _event_api)
    found = _senders.get(url)
    if found is None:
        found = _senders[url] = Sender(url)
    return found


def endpoint_url(settings: Settings, event_api: tuple[str, str] | None = None) -> str:
    api_id, stage = event_api or (settings.websocket_api_id, settings.websocket_stage)
    if not api_id or not stage:
        raise GatewayNotConfigured("no WebSocket API known: set CSMS_WEBSOCKET_API_ID and CSMS_WEBSOCKET_STAGE")
    if settings.ws_management_endpoint:
        return f"{settings.ws_management_endpoint.rstrip('/')}/{stage}"
    suffix = "amazonaws.com.cn" if settings.region.startswith("cn-") else "amazonaws.com"
    return f"https://{api_id}.execute-api.{settings.region}.{suffix}/{stage}"


def forget() -> None:
    """Drop the learned API and the senders (tests, a restarted local stack)."""
    global _event_api
    _event_api = None
    _senders.clear()
