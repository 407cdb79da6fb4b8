"""Find an app module's Lambda handlers the way Chalice deploys them: one module-level name each."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from chalice.app import ScheduledEventConfig
from chalice.local import LambdaContext

Handler = Callable[[dict, Any], Any]


def websocket_handlers(module: ModuleType) -> dict[str, Handler]:
    """Route key ('$connect', '$default', '$disconnect') -> the Lambda handler `handler(event, context)`."""
    app = module.app
    return {route: getattr(module, cfg.name) for route, cfg in app.websocket_handlers.items()}


def scheduled_handlers(module: ModuleType) -> dict[str, Handler]:
    """Function name -> Lambda handler, for every `@app.schedule`."""
    return {
        cfg.name: getattr(module, cfg.name) for cfg in module.app.event_sources if isinstance(cfg, ScheduledEventConfig)
    }


def lambda_context(function_name: str, timeout_s: int = 29) -> LambdaContext:
    return LambdaContext(function_name, memory_size=512, max_runtime_ms=timeout_s * 1000)


def reset_websocket_client(module: ModuleType) -> None:
    """Forget a previous stack's @connections endpoint: chalice configures its WebsocketAPI only once,
    and chalicelib's sender caches it per process."""
    api = getattr(module.app, "websocket_api", None)
    if api is not None:
        api._endpoint = None
        api._client = None
    try:
        from chalicelib import gateway
    except ImportError:  # another app: nothing cached
        return
    gateway.forget()


def connections_client(api: str, stage: str) -> Any:
    """The botocore @connections client the app's sender uses for this stack's API, or None without one."""
    try:
        from chalicelib import aws, gateway
    except ImportError:
        return None
    gateway.learn(api, stage)
    return aws.connections(gateway.sender().endpoint_url)


def warm_clients(module: ModuleType, api: str, stage: str) -> None:
    """Create the app's botocore clients (DynamoDB, @connections) once, before the first charger.

    Created lazily instead, a burst of chargers has every handler thread race to build its own botocore
    session and clients (PynamoDB's `if client is None` is not locked): about 100 ms of CPU and a few MB
    each, 48 times over, in the first second of the burst. One Lambda container builds them once; so
    does this process, which stands for all of them.
    """
    connections_client(api, stage)
    try:
        from chalicelib.storage.base import connection
    except ImportError:  # another app: its clients are built lazily
        return
    connection().client  # noqa: B018 (the property builds the client)
