"""Functional fixtures: the real EnkashApp, driven by Textual's Pilot against real sandboxes.

* ``sandbox`` (session): one small sandbox (60 invoices, 8 customers) for most tests.
* ``start_sandbox`` (function): ``start_sandbox(**knobs)`` starts a fresh sandbox with its own
  knobs (``lockout_seconds``, ``token_ttl``, ...), stopped at teardown.

Building and driving the app (``build_app``, ``wait_until``, ``sign_in``, ``open_*``) is in
``tests.support.driving``; the fixtures every layer shares are in ``tests.support.fixtures``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.sandboxes import RunningSandbox, Sandboxes, start

SMALL_INVOICES = 60
SMALL_CUSTOMERS = 8


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    folder = tmp_path_factory.mktemp("sandbox")
    running = start(folder / "sandbox.db", invoices=SMALL_INVOICES, customers=SMALL_CUSTOMERS)
    yield running
    running.stop()


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., RunningSandbox]]:
    """``start_sandbox(**knobs)``: a fresh small sandbox with the given knobs."""
    sandboxes = Sandboxes(tmp_path, invoices=SMALL_INVOICES, customers=SMALL_CUSTOMERS)
    yield sandboxes.start
    sandboxes.stop_all()
