"""My account: every operator reads and edits their own name and e-mail address, and nobody else's."""

from __future__ import annotations

from chalicelib.domain import operators as ops
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import OPERATOR_MISSING, NotFound
from chalicelib.ports.registry import store


def _own(principal: Principal):
    item = store().operators.operator(principal.username)
    if item is None or item.org_id != principal.org_id:
        raise NotFound(OPERATOR_MISSING)
    return item


def get_account(principal: Principal) -> ops.Operator:
    return _view(_own(principal))


def update_account(principal: Principal, version: int, first_name: str, last_name: str, email: str) -> ops.Operator:
    """Role, status and base group are the admins' to change (through the operator list)."""
    item = _own(principal)
    changes = {"first_name": first_name, "last_name": last_name, "email": email}
    return _view(ops.save(item, version, changes))


def _view(item) -> ops.Operator:
    group = store().operators.group(item.org_id, item.base_group_id)
    return ops.Operator.of(item, group.name if group else None)
