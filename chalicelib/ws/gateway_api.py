"""The @connections client: API Gateway in AWS, the local gateway when CSMS_WS_MANAGEMENT_ENDPOINT is set."""

from __future__ import annotations

from typing import Any

from chalice.app import WebsocketAPI

from chalicelib.settings import get_settings


class GatewayApi(WebsocketAPI):
    """Chalice's WebsocketAPI with a session of its own and an overridable management endpoint."""

    @property
    def session(self) -> Any:
        # Created on first send, not at import, and from the botocore session DynamoDB already
        # uses: no boto3 import and no second session to load in a cold Lambda.
        if self._session is None:
            self._session = _SharedSession()
        return self._session

    @session.setter
    def session(self, value: Any) -> None:
        self._session = value

    def configure_from_api_id(self, api_id: str, stage: str) -> None:
        local = get_settings().ws_management_endpoint
        if local:
            self._WEBSOCKET_ENDPOINT_TEMPLATE = local.rstrip("/") + "/{stage}"
            self.configure(domain_name=api_id, stage=stage)
            return
        self._WEBSOCKET_ENDPOINT_TEMPLATE = WebsocketAPI._WEBSOCKET_ENDPOINT_TEMPLATE
        super().configure_from_api_id(api_id, stage)

    def get_connection(self, connection_id: str) -> dict | None:
        """@connections GET: connectedAt, lastActiveAt, identity; None when gone."""
        client = self._get_client()
        try:
            return client.get_connection(ConnectionId=connection_id)
        except client.exceptions.GoneException:
            return None


class _SharedSession:
    """The slice of a boto3 Session that chalice's WebsocketAPI uses, over the shared botocore session."""

    @property
    def region_name(self) -> str:
        return get_settings().region

    def client(self, service_name: str, **kwargs: Any) -> Any:
        from botocore.config import Config

        from chalicelib.storage.base import connection

        kwargs.setdefault("config", Config(max_pool_connections=64))
        return connection().session.create_client(service_name, region_name=self.region_name, **kwargs)
