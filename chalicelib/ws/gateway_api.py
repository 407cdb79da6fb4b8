"""What chalice's WebSocket handlers configure on each event: here, only which API invoked us."""

from __future__ import annotations

from chalice.app import WebsocketAPI

from chalicelib import gateway


class EventApi(WebsocketAPI):
    """`app.websocket_api`: chalice calls `configure_from_api_id` with the event's API id and stage.

    Frames go out through chalicelib.gateway's sender, never through this object: it only tells the
    sender which API to address when the environment does not name one (`chalice deploy`).
    """

    def configure_from_api_id(self, api_id: str, stage: str) -> None:
        gateway.learn(api_id, stage)
