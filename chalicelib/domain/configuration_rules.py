"""The rules of a station's configuration (ADR 0014), as pure functions over stored keys: where a key's
desired value comes from, what drifts, the station's source, and what an answer or a template changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.ports.configuration import ConfigKey, Template

# The SAP E-Mobility help's labels.
ADDED_BY_SYSTEM = "Added by System"
SYSTEM_VALUE_OVERWRITTEN = "System Value Overwritten"
ADDED_BY_USER = "Added by User"
DEFINED_BY_SYSTEM = "Defined by System"
SYSTEM_VALUES_OVERWRITTEN = "System Values Overwritten"
DEFINED_BY_USER = "Defined by User"
# ChangeConfiguration answers after which the charger runs (or will run after a reboot) the new value.
TAKEN = ("Accepted", "RebootRequired")


def origin(key: ConfigKey) -> str | None:
    """Who asked for the key's value; None for a key only the charger reported."""
    if key.recommended is not None:
        overwritten = key.by_user and key.desired != key.recommended
        return SYSTEM_VALUE_OVERWRITTEN if overwritten else ADDED_BY_SYSTEM
    return ADDED_BY_USER if key.by_user else None


def drifts(key: ConfigKey) -> bool:
    """The active value is not the one the system wants."""
    return key.desired is not None and key.value != key.desired


def source(keys: list[ConfigKey]) -> str:
    """The station's configuration source: did the system provide values, and did a user change any."""
    if not any(k.recommended is not None for k in keys):
        return DEFINED_BY_USER
    if any(origin(k) in (SYSTEM_VALUE_OVERWRITTEN, ADDED_BY_USER) for k in keys):
        return SYSTEM_VALUES_OVERWRITTEN
    return DEFINED_BY_SYSTEM


def reported(stored: dict[str, ConfigKey], entries: list[dict], full: bool) -> tuple[list[ConfigKey], list[str]]:
    """Keys to write and keys to delete after a GetConfiguration answer (entries: key, readonly, value).

    A full answer (no keys asked for) is the charger's whole list: a stored key it no longer lists
    keeps only what the system wants of it, and goes when nobody wants anything of it."""
    seen = {}
    for entry in entries:
        old = stored.get(entry["key"]) or ConfigKey(entry["key"])
        seen[old.key] = replace(old, value=entry.get("value"), readonly=bool(entry["readonly"]), reported=True)
    if not full:
        return list(seen.values()), []
    gone = [k for k in stored.values() if k.key not in seen]
    kept = [replace(k, value=None, reported=False) for k in gone if k.desired is not None or k.recommended is not None]
    dropped = [k.key for k in gone if k.desired is None and k.recommended is None]
    return list(seen.values()) + kept, dropped


def answered(old: ConfigKey | None, key: str, value: str, status: str, at: datetime | None) -> ConfigKey:
    """The key after the charger answered our ChangeConfiguration of it with `status`."""
    current = old or ConfigKey(key)
    if status in TAKEN:
        current = replace(current, value=value)
    return replace(current, status=status, status_at=at)


def wished(old: ConfigKey | None, key: str, value: str) -> ConfigKey:
    """The key after an operator asked for `value`."""
    return replace(old or ConfigKey(key), desired=value, by_user=True)


def planned(stored: dict[str, ConfigKey], template: Template) -> tuple[list[ConfigKey], list[tuple[str, str]]]:
    """Applying a template: the keys to write and the (key, value) changes to send.

    Template keys take the template's value as recommended and desired (an operator's overwrite of them
    is reverted); keys the system recommended before but the template no longer has keep only what a user
    wants of them; keys added by users stay. Read-only keys and keys already at the value are not sent."""
    writes, sends = [], []
    for key, value in sorted(template.keys.items()):
        old = stored.get(key) or ConfigKey(key)
        writes.append(replace(old, recommended=value, desired=value, by_user=False))
        if not old.readonly and old.value != value:
            sends.append((key, value))
    for old in stored.values():
        if old.recommended is not None and old.key not in template.keys:
            writes.append(replace(old, recommended=None, desired=old.desired if old.by_user else None))
    return writes, sends
