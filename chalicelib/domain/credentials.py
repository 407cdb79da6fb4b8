"""Setting an operator's password: lost password, the reset and activation links, own password change."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.domain import mail, password_policy, sessions, throttle
from chalicelib.domain import operator_links as links
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import DomainError, Invalid, NotFound, TooManyAttempts, Unauthenticated, Unavailable
from chalicelib.domain.passwords import hash_password, verify_password
from chalicelib.domain.sessions import LOCKED, LOGIN_REQUIRED, WRONG_CREDENTIALS
from chalicelib.observability import logger
from chalicelib.ports.errors import StorageUnavailable
from chalicelib.ports.registry import store

# One lost-password mail per operator per minute: the form must not become a way to flood an inbox.
RESEND_AFTER = timedelta(minutes=1)
MAX_ACCOUNTS_PER_ADDRESS = 10
STORAGE_FAILURE = 10  # "Error #10": DynamoDB, as the API's pipeline numbers it


def display_name(operator) -> str:
    return f"{operator.first_name} {operator.last_name}".strip() or operator.username


def send_reset(operator, now: datetime) -> None:
    """E-mail a one-hour password reset link ("Problem with email address." if SES refuses)."""
    try:
        link = links.issue(operator, links.RESET, now)
    except StorageUnavailable as exc:
        raise Unavailable(STORAGE_FAILURE) from exc
    minutes = int(links.LIFETIME[links.RESET].total_seconds() // 60)
    try:
        mail.send(mail.password_reset(operator.email, display_name(operator), operator.username, link, minutes))
    except DomainError:
        links.forget(link)
        raise
    store().operators.mark_reset_sent(operator.username, now)


def lost_password(email: str, now: datetime) -> None:
    """Mail a reset link to each active, activated operator with this address; say nothing either way."""
    for username in store().operators.usernames_with_email(email, MAX_ACCOUNTS_PER_ADDRESS):
        operator = store().operators.operator(username)
        if operator is None or operator.status != "Active" or not operator.activated:
            continue
        if operator.reset_sent_at is not None and now - operator.reset_sent_at < RESEND_AFTER:
            continue
        try:
            send_reset(operator, now)
        except DomainError:
            logger.warning("lost-password mail not sent", extra={"operator": username})


def reset_password(token: str, password: str, now: datetime, source: str) -> None:
    """Set the password through a reset link; sessions opened before are ended, and the address
    that used the link may log in at once (its untrusted lock-out is forgotten)."""
    link = links.open_link(token, links.RESET, now)
    password_policy.check(password, link.operator.username)
    links.use(link)
    if not store().operators.set_password(link.operator.username, hash_password(password), now, end_sessions=True):
        raise NotFound(links.LINK_INVALID)
    sessions.forget_failures(link.operator.username, source)


def activate(token: str, password: str, now: datetime) -> None:
    """Choose the first password through an invitation link: the account is activated."""
    link = links.open_link(token, links.INVITE, now)
    password_policy.check(password, link.operator.username)
    links.use(link)
    if not store().operators.set_password(link.operator.username, hash_password(password), now, activate=True):
        raise NotFound(links.LINK_INVALID)


def change_own(principal: Principal, current: str, new: str, now: datetime) -> None:
    """My account: the current password is asked again, throttled per operator like a log-in
    (a stolen session must not become an unlimited password oracle)."""
    limits = [throttle.Limit(f"ACCOUNT#u#{principal.username}", sessions.PER_USERNAME_AND_SOURCE)]
    try:
        throttle.take(limits, now)
    except throttle.Throttled as exc:
        raise TooManyAttempts(LOCKED) from exc
    operator = store().operators.operator(principal.username)
    if operator is None:
        raise Unauthenticated(LOGIN_REQUIRED)
    if not operator.password_hash or not verify_password(operator.password_hash, current):
        raise Invalid(WRONG_CREDENTIALS)
    throttle.succeeded(limits)
    password_policy.check(new, operator.username)
    store().operators.set_password(operator.username, hash_password(new), now)
