"""Fixtures of the domain unit tests: the demo organization on the in-memory store (no moto)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.unit.memory_world import MemoryCharger, RecordingSender, memory_demo


@dataclass
class World:
    """The seeded in-memory store, @connections as recorded, and chargers driving app.py's handlers."""

    store: object
    sender: RecordingSender

    def charger(self, station_id: str = "EVI00000013", **kwargs) -> MemoryCharger:
        return MemoryCharger(self.sender, station_id, **kwargs)

    def connect(self, station_id: str = "EVI00000013", **kwargs) -> MemoryCharger:
        charger = self.charger(station_id, **kwargs)
        assert charger.connect()["statusCode"] == 200
        return charger


@pytest.fixture
def world(monkeypatch) -> World:
    with memory_demo(monkeypatch) as (store, sender):
        yield World(store, sender)
