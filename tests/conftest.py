"""Every layer's shared fixtures come from ``tests/support/fixtures.py``."""

import gc

pytest_plugins = ["tests.support.fixtures"]

# A test worker runs hundreds of apps in one process, which the app itself never does: with
# Python's default thresholds a fifth of a worker's CPU went to the collector (6,278 collections
# over the 42 Invoices and Customers tests, 8.3 of 44 s). Young collections come seventy times
# less often here; the app's own process keeps the defaults.
gc.set_threshold(50_000, 20, 100)


def pytest_xdist_auto_num_workers(config: object) -> int:
    """``-n auto``: one worker more than there are cores. Much of a UI test is spent waiting on
    loopback replies and timers, so a third worker on two cores fills the gaps (a fourth costs
    more than it fills: CI took longer with it)."""
    import os

    return (os.cpu_count() or 1) + 1
