"""Argon2 password hashing for charger and operator passwords."""

from __future__ import annotations

import os
from functools import lru_cache

# Tests hash and check passwords thousands of times; with the production parameters (64 MiB, 3 passes)
# each costs 0.1-2 s of CPU. This switch, set only by the test suite, selects argon2's cheapest
# parameters: the same code and hash format, so every rule around passwords is still exercised.
CHEAP_FOR_TESTS = "CSMS_TEST_CHEAP_PASSWORD_HASHES"


@lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher, profiles

    if os.environ.get(CHEAP_FOR_TESTS) == "1":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
