"""The e-mails the app sent, read back from moto's SES (the sender verified as in the local stack)."""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class Mail:
    to: list[str]
    subject: str
    body: str

    @property
    def token(self) -> str:
        found = TOKEN.search(self.body)
        assert found, f"no link in: {self.body}"
        return found.group(1)


class Mailbox:
    """Verifies the sender identity (moto's SES refuses unverified senders, as SES does)."""

    def __init__(self) -> None:
        import boto3

        from chalicelib.settings import get_settings

        settings = get_settings()
        boto3.client("ses", region_name=settings.region).verify_email_identity(EmailAddress=settings.mail_sender)
        self.region = settings.region

    def all(self) -> list[Mail]:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        sent = ses_backends[DEFAULT_ACCOUNT_ID][self.region].sent_messages
        return [Mail(m.destinations.get("ToAddresses", []), m.subject, m.body) for m in sent]

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.all() if address in m.to]

    def last(self, address: str) -> Mail:
        mails = self.to(address)
        assert mails, f"no mail to {address}; sent: {[m.to for m in self.all()]}"
        return mails[-1]
