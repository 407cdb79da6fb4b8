"""New ids for things operators create (groups, user groups): short, random, never reused."""

from __future__ import annotations

import uuid


def new_id() -> str:
    return uuid.uuid4().hex[:12]
