"""The mail port in memory: every message kept in order for tests to read; chosen addresses refused."""

from __future__ import annotations

from chalicelib.ports.mail import MailRefused, SentMail


class MemoryMailer:
    def __init__(self, state) -> None:
        self._sent: dict[str, SentMail] = state.collection("mail_sent")  # message id -> mail, in send order
        self._refused: dict[str, str] = state.collection("mail_refused")  # address -> SES-like reason

    def send(self, to: str, subject: str, text: str) -> str:
        reason = self._refused.get(to.lower())
        if reason is not None:
            raise MailRefused(reason)
        message_id = f"memory-{len(self._sent) + 1:06d}"
        self._sent[message_id] = SentMail(to, subject, text, message_id)
        return message_id

    @property
    def sent(self) -> list[SentMail]:
        return list(self._sent.values())

    def refuse(self, address: str, reason: str = "MessageRejected") -> None:
        """Make later sends to `address` fail as SES refuses a suppressed address."""
        self._refused[address.lower()] = reason


def build(state) -> MemoryMailer:
    return MemoryMailer(state)
