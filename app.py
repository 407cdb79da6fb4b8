"""Chalice entry points: every hook only delegates to chalicelib."""

from chalice import Chalice, Rate

from chalicelib import api, scheduled, wiring
from chalicelib.observability import flushed
from chalicelib.ws import gateway_api, hooks

wiring.install_dynamodb()
app = Chalice(app_name="csms")
app.experimental_feature_flags.update(["WEBSOCKETS"])
app.websocket_api = gateway_api.GatewayApi()
if api.serves_rest():
    api.register(app)


@app.on_ws_connect()
def ws_connect(event):
    with flushed():
        return hooks.on_connect(event, app.websocket_api)


@app.on_ws_message()
def ws_message(event):
    with flushed():
        hooks.on_message(event, app.websocket_api)


@app.on_ws_disconnect()
def ws_disconnect(event):
    hooks.on_disconnect(event)


@app.schedule(Rate(1, unit=Rate.MINUTES))
def every_minute(event):
    with flushed():
        scheduled.every_minute(event, app.websocket_api)
