"""Who is asking: an operator's organization, base group subtree and role, checked on every request."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.errors import ACCESS_DENIED, ACCESS_FORBIDDEN, Denied

ADMIN = "admin"
BASIC = "basic"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated operator as of this request (rights are re-read on every request)."""

    username: str
    org_id: str
    role: str
    base_group_id: str
    base_path: str  # materialized path of the base group, e.g. "/g1/g2/"
    role_at_login: str = BASIC
    session_hash: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_org_root(self) -> bool:
        """Base group is a top-level group: the domain is the whole organization (orphans included)."""
        return self.base_path.count("/") == 2

    def covers(self, path: str | None) -> bool:
        """Is a group path (or a station's group path) inside this operator's domain?"""
        return bool(path) and path.startswith(self.base_path)

    def require_admin(self) -> None:
        """Basic operators get "Access denied."; one demoted since logging in "Operator access forbidden."."""
        if self.role == ADMIN:
            return
        raise Denied(ACCESS_FORBIDDEN if self.role_at_login == ADMIN else ACCESS_DENIED)
