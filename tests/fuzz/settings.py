"""How hard the fuzz tests try: few examples, derandomized, for `make test`; CSMS_FUZZ_SCALE=20 for a long run."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SCALE = float(os.environ.get("CSMS_FUZZ_SCALE", "1"))


def fuzz_settings(examples: int) -> settings:
    """Settings for one property: `examples` cases at scale 1, no deadline (moto's first calls are slow)."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        derandomize=SCALE == 1,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        print_blob=True,
        # One bug per property is enough to fail CI and shrinks faster; a long run reports them all.
        report_multiple_bugs=SCALE != 1,
    )
