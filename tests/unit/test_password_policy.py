"""The operator password policy."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import Invalid
from chalicelib.domain.password_policy import check, conforms


@pytest.mark.parametrize("password", ["Correct-Horse-42", "abcdefgh1!", "ABCDEFGH1!", "Abcdefghij1", "pässwörd-Ä9x"])
def test_conforming_passwords(password):
    assert conforms(password, "someone")


@pytest.mark.parametrize(
    "password",
    [
        "Short-1a",  # fewer than 10 characters
        "abcdefghijkl",  # one character class
        "abcdefghij12",  # two classes
        "xx-Alice-2024",  # contains the username
        "A" * 200 + "a1!" + "x" * 60,  # longer than 256
        " Leading-space-1",
    ],
)
def test_refused_passwords(password):
    assert not conforms(password, "alice")
    with pytest.raises(Invalid, match="^Password does not conform to password policy.$"):
        check(password, "alice")
