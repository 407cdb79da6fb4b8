"""The mail port on SES."""

from __future__ import annotations

from chalicelib.storage import mail


class SesMailer:
    def send(self, to: str, subject: str, text: str) -> str:
        return mail.send(to, subject, text)


def build() -> SesMailer:
    return SesMailer()
