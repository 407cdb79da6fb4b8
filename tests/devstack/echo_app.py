"""A tiny Chalice app for the gateway tests: it answers through @connections, like the real one."""

from __future__ import annotations

import json
import os
import threading
import time

import boto3
from chalice import Chalice, WebsocketDisconnectedError
from chalice.app import WebsocketAPI


class LocalWebsocketAPI(WebsocketAPI):
    def configure_from_api_id(self, api_id: str, stage: str) -> None:
        self._WEBSOCKET_ENDPOINT_TEMPLATE = os.environ["CSMS_WS_MANAGEMENT_ENDPOINT"] + "/{stage}"
        self.configure(domain_name=api_id, stage=stage)


app = Chalice(app_name="echo")
app.experimental_feature_flags.update(["WEBSOCKETS"])
app.websocket_api = LocalWebsocketAPI()
app.websocket_api.session = boto3.session.Session()

SEEN: list[dict] = []  # every event, in the order the handlers got them
DISCONNECTED = threading.Event()


@app.route("/api/v1/health")
def health():
    return {"status": "ok"}


@app.on_ws_connect()
def ws_connect(event):
    SEEN.append(event.to_dict())
    query = event.to_dict().get("queryStringParameters") or {}
    if "status" in query:
        return {"statusCode": int(query["status"])}
    if "sleep" in query:  # a slow $connect (cold start, slow table)
        time.sleep(float(query["sleep"]))
    offered = event.to_dict()["headers"].get("Sec-WebSocket-Protocol", "")
    if "ocpp1.6" in [p.strip() for p in offered.split(",")]:
        return {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "ocpp1.6"}}
    return {"statusCode": 200}


@app.on_ws_message()
def ws_message(event):
    SEEN.append(event.to_dict())
    api, me, body = app.websocket_api, event.connection_id, event.body
    if event.to_dict()["isBase64Encoded"]:
        api.send(me, json.dumps({"binary": body}))
    elif body == "whoami":
        api.send(me, me)
    elif body == "info":
        info = api.info(me)
        api.send(me, json.dumps({k: str(v) for k, v in info.items() if k != "ResponseMetadata"}))
    elif body == "close":
        api.close(me)
    elif body.startswith("send-to:"):
        try:
            api.send(body[len("send-to:") :], "hello")
            api.send(me, "sent")
        except WebsocketDisconnectedError:
            api.send(me, "gone")
    elif body == "boom":
        raise RuntimeError("boom")
    else:
        api.send(me, body)


@app.on_ws_disconnect()
def ws_disconnect(event):
    SEEN.append(event.to_dict())
    DISCONNECTED.set()


@app.schedule("rate(1 minute)")
def every_minute(event):
    SEEN.append(event.to_dict())
