"""The e-mails sent to operators (invitation, reminder, password reset), logged as they leave."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.errors import DomainError, Invalid
from chalicelib.observability import logger
from chalicelib.ports.mail import MailRefused
from chalicelib.ports.mail import MailUnavailable as Unreachable
from chalicelib.ports.registry import store
from chalicelib.settings import get_settings

MAIL_PROBLEM = "Problem with email address."
SIGNATURE = "\n\n-- \nEV charging management system. This e-mail was sent automatically; replies are not read.\n"


class MailUnavailable(DomainError):
    """SES failed for a transient reason: same text as a refusal, as the manual has one for both."""

    status = 503


@dataclass(frozen=True)
class Letter:
    kind: str  # invitation, reminder, password-reset
    to: str
    subject: str
    text: str
    link: str


def invitation(to: str, name: str, username: str, organization: str, role: str, link: str, days: int) -> Letter:
    text = (
        f"Hello {name},\n\nYou have been invited to operate the charging stations of {organization} "
        f"as {'an admin' if role == 'admin' else 'a basic'} operator. Your username is: {username}\n\n"
        f"Choose your password and activate your account within {days} days:\n{link}\n"
    )
    return Letter("invitation", to, f"Invitation to the EV charging management of {organization}", text, link)


def reminder(to: str, name: str, username: str, organization: str, link: str, days: int) -> Letter:
    text = (
        f"Hello {name},\n\nThis is a reminder: you have been invited to operate the charging stations of "
        f"{organization}, but your account is not activated yet. Your username is: {username}\n\n"
        f"Choose your password and activate your account within {days} days:\n{link}\n"
        "Links in earlier invitations no longer work.\n"
    )
    return Letter("reminder", to, f"Reminder: activate your operator account of {organization}", text, link)


def password_reset(to: str, name: str, username: str, link: str, minutes: int) -> Letter:
    text = (
        f"Hello {name},\n\nSomeone (probably you) asked to reset the password of the operator account "
        f"{username}. Set a new password within {minutes} minutes:\n{link}\n\n"
        "If you did not ask for this, ignore this e-mail: your password stays as it is.\n"
    )
    return Letter("password-reset", to, "Reset your password", text, link)


def send(letter: Letter) -> None:
    """Send through the mail port (SES); a refusal or failure is the manual's "Problem with email address."."""
    try:
        message_id = store().mail.send(letter.to, letter.subject, letter.text + SIGNATURE)
    except MailRefused as exc:
        logger.warning("mail refused", extra={"mail": letter.kind, "to": letter.to, "reason": str(exc)})
        raise Invalid(MAIL_PROBLEM) from exc
    except Unreachable as exc:
        logger.warning("mail failed", extra={"mail": letter.kind, "to": letter.to, "reason": str(exc)})
        raise MailUnavailable(MAIL_PROBLEM) from exc
    extra = {"mail": letter.kind, "to": letter.to, "subject": letter.subject, "message_id": message_id}
    if get_settings().mail_log_links:
        extra["link"] = letter.link  # never in AWS: whoever reads the logs could use it
    logger.info("mail sent", extra=extra)
