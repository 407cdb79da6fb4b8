"""The organization as every port carries it: each port fills what it reads, the rest keeps its default."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Organization:
    org_id: str
    name: str = ""
    timezone: str = "UTC"
    auto_register: bool = False
    version: int = 0  # optimistic lock of the organization's settings (operators port)
