"""The process's one botocore session and the AWS clients made from it, each created on first use.

Every AWS client (PynamoDB's DynamoDB connection, SES, S3, @connections) comes from this session:
a second session costs 40-65 ms of CPU in a cold Lambda. Nothing here runs at import time, and
botocore itself is imported on the first client, never by importing this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib.settings import get_settings

# botocore's client creation is not thread-safe on one session (its loaders cache lazily); the local
# stack runs handlers in threads, so clients are created under this lock.
_lock = threading.RLock()
_session: Any = None
# A fixed User-Agent: botocore otherwise rebuilds its structured one (SDK, OS, language, feature codes) from
# dozens of components twice per request, about a tenth of a DynamoDB call's client-side CPU.
USER_AGENT = "csms"
_clients: dict[tuple, Any] = {}
# Run on each new session before any client is made from it: the local stack's loopback transport to moto.
_session_hooks: list[Callable[[Any], None]] = []


def session() -> Any:
    """The shared botocore session (credentials and service models loaded once per process)."""
    global _session
    if _session is None:
        with _lock:
            if _session is None:
                from botocore import __version__ as botocore_version
                from botocore.config import Config
                from botocore.session import get_session

                created = get_session()
                created.set_default_client_config(Config(user_agent=f"{USER_AGENT} botocore/{botocore_version}"))
                for hook in _session_hooks:
                    hook(created)
                _session = created
    return _session


def on_new_session(hook: Callable[[Any], None]) -> Callable[[], None]:
    """Run `hook(session)` on every session made from now on (call `reset()` to drop the current one); returns
    the function that stops it."""
    with _lock:
        _session_hooks.append(hook)
    return lambda: _session_hooks.remove(hook) if hook in _session_hooks else None


@contextmanager
def creating() -> Iterator[None]:
    """Hold the creation lock: for a library (PynamoDB) that creates its own client from `session()`."""
    with _lock:
        yield


def client(service: str, endpoint_url: str | None = None, **config: Any) -> Any:
    """A botocore client for `service` in the configured region, cached per endpoint and config."""
    region = get_settings().region
    key = (service, region, endpoint_url, tuple(sorted(config.items())))
    found = _clients.get(key)
    if found is None:
        with _lock:
            found = _clients.get(key)
            if found is None:
                found = _clients[key] = _create(service, region, endpoint_url, config)
    return found


def _create(service: str, region: str, endpoint_url: str | None, config: dict) -> Any:
    from botocore.config import Config

    from chalicelib import botocore_speed

    created = session().create_client(
        service, region_name=region, endpoint_url=endpoint_url, config=Config(**config) if config else None
    )
    if service == "dynamodb":
        botocore_speed.install(created)
    return created


def ses() -> Any:
    return client("ses", get_settings().ses_endpoint)


def s3() -> Any:
    # SigV4: presigned links of regions opened since 2014 (and of every bucket locally) accept only it.
    return client("s3", get_settings().s3_endpoint, signature_version="s3v4")


def invoke_async(function: str, payload: dict) -> None:
    """Invoke a Lambda function without waiting for it (InvocationType Event)."""
    import json

    client("lambda").invoke(FunctionName=function, InvocationType="Event", Payload=json.dumps(payload).encode())


def connections(endpoint_url: str) -> Any:
    """The @connections (API Gateway management API) client of one WebSocket API stage."""
    # One client serves every handler thread of the local stack: a pool as wide as the thread pool.
    return client("apigatewaymanagementapi", endpoint_url, max_pool_connections=64)


def reset() -> None:
    """Forget the session and every client: the settings changed (tests, the local stack's rebind)."""
    global _session
    with _lock:
        _session = None
        _clients.clear()
