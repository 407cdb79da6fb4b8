"""SES: the one place that sends e-mail (moto in tests and on the local stack)."""

from __future__ import annotations

from chalicelib.ports.mail import MailRefused, MailUnavailable
from chalicelib.settings import get_settings

__all__ = ["MailRefused", "MailUnavailable", "send"]

# Errors that say SES will not take this message (address, sender, account); others are transient.
REFUSALS = {"MessageRejected", "InvalidParameterValue", "MailFromDomainNotVerifiedException", "AccountSendingPausedException"}

_cached: tuple | None = None


def _client():
    """An SES client on the process-wide botocore session, created on first use and on rebinding."""
    global _cached
    from chalicelib.storage.base import connection

    settings = get_settings()
    shared = connection()
    key = (settings.ses_endpoint, settings.region)
    if _cached is None or _cached[0] is not shared or _cached[1] != key:
        client = shared.session.create_client("ses", region_name=settings.region, endpoint_url=settings.ses_endpoint)
        _cached = (shared, key, client)
    return _cached[2]


def send(to: str, subject: str, text: str) -> str:
    """Send a plain-text e-mail from the configured sender; returns SES's message id."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = _client().send_email(
            Source=get_settings().mail_sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": text, "Charset": "UTF-8"}},
            },
        )
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in REFUSALS:
            raise MailRefused(code) from exc
        raise MailUnavailable(code) from exc
    except BotoCoreError as exc:
        raise MailUnavailable(type(exc).__name__) from exc
    return answer["MessageId"]
