"""Inviting operators: the invitation, its resending or a reminder until activation, and the admin's password reset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import mail
from chalicelib.domain import operator_links as links
from chalicelib.domain import operators as ops
from chalicelib.domain.access import Principal
from chalicelib.domain.credentials import display_name, send_reset
from chalicelib.domain.errors import Conflict, DomainError
from chalicelib.ports import errors as stored
from chalicelib.ports.operators import Operator
from chalicelib.ports.registry import store

INVITATION_FAILED = "Operator invitation failed."
USERNAME_TAKEN = "Username already exists."
EMAIL_CHANGED = "Operator with given email does not exist."
ALREADY_ACTIVATED = "The operator has already activated the account: there is no invitation to send."
NOT_ACTIVATED = "The operator has not activated the account yet: send a reminder instead."


class InvitationFailed(DomainError):
    """A transient failure creating the invitation ("Retry.")."""

    status = 503


@dataclass(frozen=True)
class NewOperator:
    username: str
    email: str
    first_name: str
    last_name: str
    role: str
    base_group_id: str


def invite(principal: Principal, new: NewOperator, now: datetime) -> ops.Operator:
    """Create the operator, not activated and without a password, and e-mail the activation link."""
    group = ops.domain_group(principal, new.base_group_id)
    operator = Operator(
        new.username,
        org_id=principal.org_id,
        email=new.email,
        first_name=new.first_name,
        last_name=new.last_name,
        role=new.role,
        base_group_id=group.group_id,
        status=ops.ACTIVE,
        activated=False,
        invited_at=now,
    )
    try:
        item = store().operators.create_operator(operator)
    except stored.AlreadyExists as exc:
        raise Conflict(USERNAME_TAKEN) from exc
    except stored.StorageUnavailable as exc:
        raise InvitationFailed(INVITATION_FAILED) from exc
    try:
        _mail_link(item, now)
    except Exception:
        store().operators.delete_operator(item.username)  # nothing half-made: the admin can simply invite again
        raise
    return ops.Operator.of(item, group.name)


def resend(principal: Principal, username: str, now: datetime, reminder: bool = False) -> None:
    """A new invitation (or a reminder) with a new link; the older links stop working."""
    item, _group = ops.visible(principal, username)
    if item.activated:
        raise Conflict(ALREADY_ACTIVATED)
    _mail_link(item, now, reminder)
    store().operators.mark_invited(username, now)


def send_password_reset(principal: Principal, username: str, email: str, now: datetime) -> None:
    """The admin's RESET PASSWORD, with the e-mail address the admin's view showed."""
    item, _group = ops.visible(principal, username)
    if item.email_key != email.lower():
        raise Conflict(EMAIL_CHANGED)
    if not item.activated:
        raise Conflict(NOT_ACTIVATED)
    send_reset(item, now)


def _mail_link(item, now: datetime, reminder: bool = False) -> None:
    try:
        link = links.issue(item, links.INVITE, now)
    except stored.StorageUnavailable as exc:
        raise InvitationFailed(INVITATION_FAILED) from exc
    organization = store().operators.organization(item.org_id)
    org_name = organization.name if organization else item.org_id
    days = links.LIFETIME[links.INVITE].days
    name = display_name(item)
    if reminder:
        letter = mail.reminder(item.email, name, item.username, org_name, link, days)
    else:
        letter = mail.invitation(item.email, name, item.username, org_name, item.role, link, days)
    try:
        mail.send(letter)
    except DomainError:
        links.forget(link)
        raise
