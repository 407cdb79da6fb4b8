"""Password hashing: production parameters unless the test switch is set; hashes of either verify."""

from __future__ import annotations

from chalicelib.domain import passwords


def test_production_uses_argon2id_with_64_mib_and_three_passes(monkeypatch):
    monkeypatch.delenv(passwords.CHEAP_FOR_TESTS)
    passwords._hasher.cache_clear()
    try:
        stored = passwords.hash_password("s3cret-Pass-42")
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert passwords.verify_password(stored, "s3cret-Pass-42")
    finally:
        passwords._hasher.cache_clear()


def test_a_hash_made_with_other_parameters_still_verifies():
    # The parameters travel in the hash: cheap test hashes and production hashes verify alike.
    production = "$argon2id$v=19$m=65536,t=3,p=4$"
    cheap = passwords.hash_password("right")
    assert not cheap.startswith(production)
    assert passwords.verify_password(cheap, "right")
    assert not passwords.verify_password(cheap, "wrong")
    assert not passwords.verify_password("not a hash", "right")
