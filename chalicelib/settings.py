"""Settings read once from the environment, the same in Lambda and in the local stack."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    region: str
    table_prefix: str
    dynamodb_endpoint: str | None
    s3_endpoint: str | None
    ses_endpoint: str | None
    # Local gateway only: where the @connections management API lives (http://host:port).
    ws_management_endpoint: str | None
    # The WebSocket API and stage REST and scheduled functions post to (@connections).
    websocket_api_id: str | None
    websocket_stage: str | None
    heartbeat_interval: int
    sample_ttl_days: int
    # Counted readings kept as raw sample items at most once per this many seconds (0: every one; ADR 0019).
    sample_interval_s: int
    reports_bucket: str
    # Firmware files (firmware/) and chargers' diagnostics uploads (diagnostics/): docs/adr/0016.
    firmware_bucket: str
    # A firmware update with no news from its charger for this long is marked Failed (the minute job).
    firmware_stall_minutes: int
    # The report worker function invoked asynchronously (AWS); unset: a background thread (local stack).
    reports_function: str | None
    # Seconds one invocation works on a report before it records a checkpoint and launches the next.
    report_budget_s: float
    mail_sender: str
    # Where operators open the e-mailed links (the frontend); locally the REST server of `make run`.
    public_url: str
    # Log the single-use links of sent e-mails: only where no real inbox exists (local stack, tests).
    mail_log_links: bool
    # CloudFront is in front of both APIs: the client's address is its CloudFront-Viewer-Address header.
    trust_viewer_address: bool
    # Stuck sessions (ADR 0017): silent this long -> probed; still silent this long after -> soft-stopped.
    stuck_silence_minutes: int = 30
    stuck_probe_wait_minutes: int = 5


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    env = os.environ
    aws = env.get("CSMS_AWS_ENDPOINT") or None
    return Settings(
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1",
        table_prefix=env.get("CSMS_TABLE_PREFIX", "csms-dev-"),
        dynamodb_endpoint=env.get("CSMS_DYNAMODB_ENDPOINT") or aws,
        s3_endpoint=env.get("CSMS_S3_ENDPOINT") or aws,
        ses_endpoint=env.get("CSMS_SES_ENDPOINT") or aws,
        ws_management_endpoint=env.get("CSMS_WS_MANAGEMENT_ENDPOINT") or None,
        # CSMS_WS_*: the names the local stack (devstack/stack.py) sets.
        websocket_api_id=env.get("CSMS_WEBSOCKET_API_ID") or env.get("CSMS_WS_API_ID") or None,
        websocket_stage=env.get("CSMS_WEBSOCKET_STAGE") or env.get("CSMS_WS_STAGE") or None,
        heartbeat_interval=min(int(env.get("CSMS_HEARTBEAT_INTERVAL", "300")), 300),
        sample_ttl_days=int(env.get("CSMS_SAMPLE_TTL_DAYS", "90")),
        sample_interval_s=int(env.get("CSMS_SAMPLE_INTERVAL_S", "900")),
        reports_bucket=env.get("CSMS_REPORTS_BUCKET", "csms-dev-reports"),
        firmware_bucket=env.get("CSMS_FIRMWARE_BUCKET", "csms-dev-firmware"),
        firmware_stall_minutes=int(env.get("CSMS_FIRMWARE_STALL_MINUTES", "60")),
        reports_function=env.get("CSMS_REPORTS_FUNCTION") or None,
        report_budget_s=float(env.get("CSMS_REPORT_BUDGET_S", "780")),
        mail_sender=env.get("CSMS_MAIL_SENDER", "no-reply@csms.local"),
        public_url=(env.get("CSMS_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
        mail_log_links=_flag(env.get("CSMS_MAIL_LOG_LINKS"), default=bool(env.get("CSMS_SES_ENDPOINT") or aws)),
        trust_viewer_address=_flag(env.get("CSMS_TRUST_VIEWER_ADDRESS"), default=False),
        stuck_silence_minutes=max(1, int(env.get("CSMS_STUCK_SILENCE_MINUTES", "30"))),
        stuck_probe_wait_minutes=max(1, int(env.get("CSMS_STUCK_PROBE_WAIT_MINUTES", "5"))),
    )


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")
