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
    """Forget a previous stack's @connections endpoint (Chalice configures it only once)."""
    api = getattr(module.app, "websocket_api", None)
    if api is not None:
        api._endpoint = None
        api._client = None
