"""PynamoDB's VersionAttribute from a plain value's version (0: never saved, or saved before versions)."""

from __future__ import annotations


def versioned(version: int) -> dict:
    """Constructor keywords: an item built with its stored version updates and deletes as of it."""
    return {"version": version} if version else {}
