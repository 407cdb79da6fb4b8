"""My account: every operator reads and edits their own name and e-mail address, and nobody else's."""

from __future__ import annotations

from chalicelib.domain import operators as ops
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import OPERATOR_MISSING, NotFound
from chalicelib.storage import operators as store


def _own(principal: Principal):
    item = store.get_operator(principal.username)
    if item is None or item.org_id != principal.org_id:
        raise NotFound(OPERATOR_MISSING)
    return item


def get_account(principal: Principal) -> ops.Operator:
    item = _own(principal)
    group = store.get_group(item.org_id, item.base_group_id)
    return ops.Operator.of(item, group.name if group else None)


def update_account(principal: Principal, version: int, first_name: str, last_name: str, email: str) -> ops.Operator:
    """Role, status and base group are the admins' to change (through the operator list)."""
    item = _own(principal)
    changes = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "email_key": email.lower(),
        "search": ops.search_text(item.username, first_name, last_name, email),
    }
    ops.save(item, version, changes)
    group = store.get_group(item.org_id, item.base_group_id)
    return ops.Operator.of(item, group.name if group else None)
