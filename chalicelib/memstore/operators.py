"""The operators port in memory: operators, organizations, sessions and e-mailed tokens in dicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.memstore import tables
from chalicelib.memstore.paging import page
from chalicelib.ports import errors
from chalicelib.ports.estate import GroupRecord
from chalicelib.ports.operators import EDITABLE, GroupRef, LinkToken, LoginSession, Operator, Organization
from chalicelib.ports.paging import Page


def _search(op: Operator) -> str:
    return f"{op.username} {op.first_name} {op.last_name} {op.email}".lower()


class MemoryOperators:
    """Operators and organizations as the other ports see them; groups read from the estate's tree."""

    def __init__(self, state) -> None:
        self._state = state
        self._operators: dict[str, Operator] = state.collection(tables.OPERATORS)
        self._groups: dict[tuple[str, str], GroupRecord] = state.collection(tables.GROUPS)
        self._orgs: dict[str, Organization] = state.collection(tables.ORGANIZATIONS)
        self._sessions: dict[str, LoginSession] = state.collection("operators_sessions")
        self._links: dict[str, LinkToken] = state.collection("operators_links")

    # Seeding for tests: groups and organizations are created elsewhere in the application.
    def add_group(self, org_id: str, group: GroupRef) -> None:
        tables.seed_group(self._state, org_id, group.group_id, group.name, group.path)

    def add_organization(self, organization: Organization) -> None:
        self._orgs[organization.org_id] = replace(organization, version=organization.version or 1)

    def operator(self, username: str) -> Operator | None:
        return self._operators.get(username)

    def operators_page(self, org_id, limit, cursor, q, status, keep=None) -> Page[Operator]:
        def matches(op: Operator) -> bool:
            if q and q.lower() not in _search(op):
                return False
            if status == "Invited":
                return not op.activated
            return status is None or (op.status == status and op.activated)

        rows = [(op.username, op) for op in self._operators.values() if op.org_id == org_id and matches(op)]
        return page(rows, org_id, limit, cursor, keep)

    def usernames_with_email(self, email: str, limit: int = 10) -> list[str]:
        key = email.lower()
        return [op.username for op in self._operators.values() if op.email_key == key][:limit]

    def create_operator(self, operator: Operator) -> Operator:
        if operator.username in self._operators:
            raise errors.AlreadyExists(operator.username)
        saved = replace(operator, email_key=operator.email.lower(), version=1)
        self._operators[operator.username] = saved
        return saved

    def update_operator(self, current, seen_version: int, changes: dict) -> Operator:
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        stored = self._operators.get(current.username)
        if stored is None or seen_version != (current.version or 0) or stored.version != seen_version:
            raise errors.ConditionFailed(str(seen_version))
        saved = replace(stored, **changes, version=stored.version + 1)
        if "email" in changes:
            saved = replace(saved, email_key=changes["email"].lower())
        self._operators[current.username] = saved
        return saved

    def delete_operator(self, username: str) -> None:
        if self._operators.pop(username, None) is None:
            raise errors.NotFound(username)

    def _touch(self, username: str, **changes) -> bool:
        stored = self._operators.get(username)
        if stored is None:
            return False
        self._operators[username] = replace(stored, **changes)  # bookkeeping: the edit version stays
        return True

    def set_password(self, username: str, password_hash: str, now: datetime, *, activate=False, end_sessions=False) -> bool:
        changes: dict = {"password_hash": password_hash, "password_changed_at": now}
        if activate:
            changes["activated"] = True
        if end_sessions:
            changes["sessions_valid_from"] = now
        return self._touch(username, **changes)

    def mark_invited(self, username: str, now: datetime) -> bool:
        return self._touch(username, invited_at=now)

    def mark_reset_sent(self, username: str, now: datetime) -> bool:
        return self._touch(username, reset_sent_at=now)

    def group(self, org_id: str, group_id: str) -> GroupRef | None:
        found = self._groups.get((org_id, group_id))
        return GroupRef(found.group_id, found.name, found.path) if found is not None else None

    def group_names_under(self, org_id: str, path: str) -> dict[str, str]:
        return {g.group_id: g.name for (org, _), g in self._groups.items() if org == org_id and g.path.startswith(path)}

    def organization(self, org_id: str) -> Organization | None:
        return self._orgs.get(org_id)

    def update_organization(self, current, seen_version: int, name: str, timezone: str) -> Organization:
        stored = self._orgs.get(current.org_id)
        if stored is None or seen_version != (current.version or 0) or stored.version != seen_version:
            raise errors.ConditionFailed(str(seen_version))
        saved = self._orgs[current.org_id] = replace(stored, name=name, timezone=timezone, version=stored.version + 1)
        return saved

    def put_session(self, session: LoginSession) -> None:
        if session.token_hash in self._sessions:
            raise errors.ConditionFailed(session.token_hash)
        self._sessions[session.token_hash] = session

    def session(self, token_hash: str) -> LoginSession | None:
        return self._sessions.get(token_hash)

    def delete_session(self, token_hash: str) -> None:
        self._sessions.pop(token_hash, None)

    def put_link(self, token: LinkToken) -> None:
        if token.token_hash in self._links:
            raise errors.StorageUnavailable(token.token_hash)
        self._links[token.token_hash] = token

    def link(self, token_hash: str) -> LinkToken | None:
        return self._links.get(token_hash)

    def use_link(self, token_hash: str) -> bool:
        return self._links.pop(token_hash, None) is not None

    def delete_link(self, token_hash: str) -> None:
        self._links.pop(token_hash, None)


def build(state) -> MemoryOperators:
    return MemoryOperators(state)
