"""The mail port: sends one plain-text e-mail from the configured sender."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class MailRefused(Exception):
    """The mail service will not take this message (bad or suppressed address, unverified sender)."""


class MailUnavailable(Exception):
    """The mail service could not be reached or throttled us, after retries."""


@dataclass(frozen=True)
class SentMail:
    to: str
    subject: str
    text: str
    message_id: str


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str) -> str:
        """Send and return the message id; raises MailRefused or MailUnavailable."""
