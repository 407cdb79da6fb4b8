"""SES: the one place that sends e-mail (moto in tests and on the local stack)."""

from __future__ import annotations

from chalicelib import aws
from chalicelib.ports.mail import MailRefused, MailUnavailable
from chalicelib.settings import get_settings

__all__ = ["MailRefused", "MailUnavailable", "send"]

# Errors that say SES will not take this message (address, sender, account); others are transient.
REFUSALS = {"MessageRejected", "InvalidParameterValue", "MailFromDomainNotVerifiedException", "AccountSendingPausedException"}

def send(to: str, subject: str, text: str) -> str:
    """Send a plain-text e-mail from the configured sender; returns SES's message id."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = aws.ses().send_email(
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
