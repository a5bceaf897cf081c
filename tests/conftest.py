"""Every layer's shared fixtures come from ``tests/support/fixtures.py``."""

pytest_plugins = ["tests.support.fixtures"]


def pytest_xdist_auto_num_workers(config: object) -> int:
    """``-n auto``: two workers a core. Most of a UI test is spent waiting on loopback replies,
    pauses and timers, so four workers on two cores fill the gaps (the whole suite: 5:36, against
    6:21 with three)."""
    import os

    return 2 * (os.cpu_count() or 1)
