"""The fuzz tests' charger: one booted demo station per module, on moto."""

from __future__ import annotations

import pytest

from tests.support import LambdaCharger, moto_tables


@pytest.fixture(scope="module")
def charger():
    """A booted demo station with one transaction open, on moto shared by the module's examples."""
    from chalicelib.seed import seed_demo

    with moto_tables():
        seed_demo()
        station = LambdaCharger("EVI00000013")
        assert station.connect()["statusCode"] == 200
        assert station.frame("boot_notification")[0] == 3
        assert station.frame("start_transaction")[0] == 3
        yield station
