"""The operator password policy, checked on the server whenever a password is set."""

from __future__ import annotations

from chalicelib.domain.errors import Invalid

POLICY_TEXT = "Password does not conform to password policy."
MIN_LENGTH = 10
MAX_LENGTH = 256
MIN_CLASSES = 3  # of: lower-case, upper-case, digit, other
DESCRIPTION = (
    f"At least {MIN_LENGTH} characters (at most {MAX_LENGTH}), with at least {MIN_CLASSES} of: lower-case letters, "
    "upper-case letters, digits, other characters; it must not contain the username."
)


def conforms(password: str, username: str = "") -> bool:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH or password.strip() != password:
        return False
    if username and len(username) >= 3 and username.lower() in password.lower():
        return False
    classes = (
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    )
    return sum(classes) >= MIN_CLASSES


def check(password: str, username: str = "") -> None:
    """Raise the manual's "Password does not conform to password policy." unless the password conforms."""
    if not conforms(password, username):
        raise Invalid(POLICY_TEXT)
