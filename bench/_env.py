"""The environment a deployed Lambda would have (set before any chalicelib import), shared by the benches."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAMES = ROOT / "tests" / "events" / "ocpp16"

LAMBDA_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
    "AWS_LAMBDA_FUNCTION_NAME": "csms-dev-websocket_message",
    "CSMS_FUNCTION_ROLE": "websocket",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
    "CSMS_TABLE_PREFIX": "csms-bench-",
    "POWERTOOLS_SERVICE_NAME": "csms",
    "POWERTOOLS_LOG_LEVEL": "INFO",
}
_LOCAL_ONLY = ("CSMS_AWS_ENDPOINT", "CSMS_DYNAMODB_ENDPOINT", "CSMS_S3_ENDPOINT", "CSMS_SES_ENDPOINT", "CSMS_WS_MANAGEMENT_ENDPOINT")


def lambda_env(base: dict | None = None) -> dict:
    """A copy of `base` (default os.environ) with the Lambda variables set and local endpoints removed."""
    env = dict(os.environ if base is None else base)
    env.update(LAMBDA_ENV)
    for name in _LOCAL_ONLY:
        env.pop(name, None)
    return env


def apply() -> None:
    os.environ.update(LAMBDA_ENV)
    for name in _LOCAL_ONLY:
        os.environ.pop(name, None)


def frame(name: str, **replace) -> str:
    text = (FRAMES / f"{name}.json").read_text().strip()
    for key, value in replace.items():
        text = text.replace(key, str(value))
    return text
