"""The mail port on both stores: each message gets its own id; the in-memory one keeps what was sent."""

from __future__ import annotations

import pytest

from chalicelib.ports.mail import MailRefused


@pytest.fixture
def mailer(store):
    if store.kind == "dynamodb":
        from tests.api.mailbox import Mailbox

        Mailbox()  # moto's SES, like SES, refuses an unverified sender
    return store.mail


def test_each_message_gets_its_own_id(mailer):
    first = mailer.send("ann@example.com", "Hello", "Body one")
    second = mailer.send("ann@example.com", "Hello", "Body two")
    assert first and second and first != second


def test_the_memory_mailer_keeps_messages_in_order_and_refuses_chosen_addresses():
    from chalicelib.memstore import memory_store

    mailer = memory_store().mail
    mailer.send("ann@example.com", "One", "1")
    mailer.send("bob@example.com", "Two", "2")
    mailer.refuse("Bad@Example.com")
    with pytest.raises(MailRefused, match="MessageRejected"):
        mailer.send("bad@example.com", "Three", "3")
    assert [(m.to, m.subject, m.text) for m in mailer.sent] == [("ann@example.com", "One", "1"), ("bob@example.com", "Two", "2")]
