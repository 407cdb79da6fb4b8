"""The typed sender for calls to chargers, on moto's @connections, and how it finds its endpoint."""

from __future__ import annotations

import pytest

from chalicelib import gateway
from chalicelib.settings import get_settings


@pytest.fixture
def configured(monkeypatch):
    """A REST or scheduled function's environment: the WebSocket API named by the settings."""
    monkeypatch.setenv("CSMS_WEBSOCKET_API_ID", "abc123")
    monkeypatch.setenv("CSMS_WEBSOCKET_STAGE", "api")
    get_settings.cache_clear()
    gateway.forget()
    yield
    get_settings.cache_clear()
    gateway.forget()


def _moto_connection(connection_id: str):
    from moto.apigatewaymanagementapi.models import apigatewaymanagementapi_backends
    from moto.core import DEFAULT_ACCOUNT_ID

    return apigatewaymanagementapi_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].connections[connection_id]


def test_rest_and_scheduled_functions_address_the_api_named_by_the_settings(configured):
    assert gateway.sender().endpoint_url == "https://abc123.execute-api.eu-west-1.amazonaws.com/api"


def test_the_event_that_invoked_a_websocket_function_names_its_api(configured):
    # When chalice configures app.websocket_api from a WebSocket event
    import app

    app.app.websocket_api.configure_from_api_id("w5ck", "prod")
    # Then the sender addresses that API's stage
    assert gateway.sender().endpoint_url == "https://w5ck.execute-api.eu-west-1.amazonaws.com/prod"


def test_the_local_gateway_replaces_api_gateway(configured, monkeypatch):
    monkeypatch.setenv("CSMS_WS_MANAGEMENT_ENDPOINT", "http://127.0.0.1:9000/")
    get_settings.cache_clear()
    assert gateway.sender().endpoint_url == "http://127.0.0.1:9000/api"


def test_china_regions_use_their_own_domain(configured, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "cn-north-1")
    get_settings.cache_clear()
    assert gateway.sender().endpoint_url == "https://abc123.execute-api.cn-north-1.amazonaws.com.cn/api"


def test_no_api_known_is_a_clear_error(monkeypatch):
    for name in ("CSMS_WEBSOCKET_API_ID", "CSMS_WS_API_ID"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    gateway.forget()
    with pytest.raises(gateway.GatewayNotConfigured, match="set CSMS_WEBSOCKET_API_ID and CSMS_WEBSOCKET_STAGE"):
        gateway.sender()
    get_settings.cache_clear()


def test_send_posts_the_frame_to_the_connection(configured, aws):
    gateway.sender().send("conn-1", '[2,"m1","TriggerMessage",{"requestedMessage":"Heartbeat"}]')
    assert _moto_connection("conn-1").data == b'[2,"m1","TriggerMessage",{"requestedMessage":"Heartbeat"}]'


def test_connection_info_is_typed(configured, aws):
    info = gateway.sender().connection_info("conn-2")
    assert info.connection_id == "conn-2"
    assert (info.source_ip, info.user_agent) == ("192.168.0.1", "Moto Mocks")
    assert info.connected_at <= info.last_active_at


def test_a_gone_charger_is_charger_gone_and_still_what_chalice_code_catches():
    from chalice.app import WebsocketDisconnectedError

    gone = gateway.ChargerGone("conn-3")
    assert gone.connection_id == "conn-3"
    assert isinstance(gone, WebsocketDisconnectedError)
