"""The store registry: lazy ports, unknown names refused, install and restore."""

from __future__ import annotations

import pytest

from chalicelib.ports.registry import Store, store, using


def test_a_port_is_built_once_on_first_use():
    built = []
    s = Store("test", {"stations": lambda: built.append(1) or object()})
    assert built == []
    first = s.stations
    assert s.stations is first and built == [1]


def test_a_missing_port_names_the_store_and_the_port():
    with pytest.raises(LookupError, match="the test store has no 'users' port"):
        Store("test", {}).users


def test_unknown_port_names_are_refused():
    with pytest.raises(ValueError, match="unknown ports"):
        Store("test", {"nonsense": object})


def test_using_restores_the_previous_store():
    outer = store()
    inner = Store("test", {})
    with using(inner):
        assert store() is inner
    assert store() is outer
