"""E-mail on the local stack: the embedded SES takes the app's mails, whose links open this stack."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request


def _post(url: str, body: dict) -> int:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"content-type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (the local stack)
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_lost_password_mail_on_the_local_stack(stack):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from chalicelib.settings import get_settings

    # Given the seeded admin asks for a reset link over HTTP
    assert _post(f"{stack.http_url}/api/v1/auth/lost-password", {"email": "mamercus@acmeshoppingmail.com"}) == 202
    # Then the embedded SES took the mail from the verified sender, with a link to this stack
    sent = ses_backends[DEFAULT_ACCOUNT_ID][get_settings().region].sent_messages
    mail = [m for m in sent if "mamercus@acmeshoppingmail.com" in m.destinations["ToAddresses"]][-1]
    link = re.search(r"(http\S+/#/reset-password\?token=)([A-Za-z0-9_-]+)", mail.body)
    assert link and link.group(1).startswith(stack.http_url)
    # And the link sets a password that logs in
    password = "Local-Stack-Pass-7"
    assert _post(f"{stack.http_url}/api/v1/auth/reset-password", {"token": link.group(2), "password": password}) == 204
    assert _post(f"{stack.http_url}/api/v1/auth/login", {"username": "acme-admin", "password": password}) == 200
