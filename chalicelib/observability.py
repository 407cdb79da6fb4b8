"""One structured logger for the whole app (powertools), keyed by station, action and message id."""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="csms")
