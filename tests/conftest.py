"""Every layer's shared fixtures come from ``tests/support/fixtures.py``."""

pytest_plugins = ["tests.support.fixtures"]


def pytest_xdist_auto_num_workers(config: object) -> int:
    """``-n auto``: one worker more than there are cores. Much of a UI test is spent waiting on
    loopback replies and timers, so a third worker on two cores fills the gaps (a fourth costs
    more than it fills: CI took longer with it)."""
    import os

    return (os.cpu_count() or 1) + 1
