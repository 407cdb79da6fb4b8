"""Station passwords as $connect checks them: the password itself, or the hex form AuthorizationKey carries.

Kept apart from `station_credentials` (the operators' side), so $connect imports no more than it needs.
"""

from __future__ import annotations

import re
import secrets
import string

from chalicelib.domain.passwords import verify_password

ALPHABET = string.ascii_letters + string.digits
LENGTH = 20  # the most AuthorizationKey holds (20 bytes, 40 hex digits); about 119 bits
HEX_FORM = re.compile(r"^[0-9a-fA-F]{32,40}$")


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def authorization_key(password: str) -> str:
    return password.encode("ascii").hex()


def matches(stored_hash: str, presented: str) -> bool:
    """The password itself, or its hex form from a charger that sends AuthorizationKey verbatim."""
    if verify_password(stored_hash, presented):
        return True
    if HEX_FORM.match(presented) and len(presented) % 2 == 0:
        try:
            decoded = bytes.fromhex(presented).decode("ascii")
        except UnicodeDecodeError:
            return False
        return verify_password(stored_hash, decoded)
    return False


def shown_payload(action: str, payload: dict) -> dict:
    """A command's payload as operators see it: a station password pushed as AuthorizationKey is hidden
    (OCPP makes the key write-only; the record keeps what was sent)."""
    if action == "ChangeConfiguration" and str(payload.get("key", "")).lower() == "authorizationkey":
        return {**payload, "value": "********"}
    return payload
