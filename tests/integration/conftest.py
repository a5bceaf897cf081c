"""Integration fixtures: real sandboxes on loopback, driven by the real ``EnkashClient``.

* ``shared_sandbox`` (session): one sandbox with 600 demo invoices and 60 customers for the
  read-mostly tests. Tests that write to it only touch records they created themselves.
* ``start_sandbox`` (function): ``start_sandbox(**knobs)`` starts a fresh sandbox on its own
  temporary database with small data (80 invoices, 12 customers) and any fault or behaviour knob
  (``token_ttl``, ``lockout_seconds``, ``failure_rate``/``fault_seed``, ``rate_limit``,
  ``latency_ms``, ``token_shape``, ``encrypt``). Every server started is stopped at teardown.
* ``make_client`` / ``client``: ``EnkashClient`` instances signed in as the demo user, closed at
  teardown.
* ``wire`` / ``recording_sleep``: a fresh ``Wire`` / ``RecordingSleep`` (``tests.support.wire``).

Request bodies come from ``tests.support.records``; raw HTTP from ``tests.support.wire.RawApi``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from enkash_tui.api import EnkashClient
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME
from tests.support.sandboxes import RunningSandbox, Sandboxes, start
from tests.support.wire import RecordingSleep, Wire

SHARED_INVOICES = 600
SHARED_CUSTOMERS = 60
SMALL_INVOICES = 80
SMALL_CUSTOMERS = 12


@pytest.fixture(scope="session")
def shared_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    folder = tmp_path_factory.mktemp("shared-sandbox")
    sandbox = start(folder / "sandbox.db", invoices=SHARED_INVOICES, customers=SHARED_CUSTOMERS)
    yield sandbox
    sandbox.stop()


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., RunningSandbox]]:
    """``start_sandbox(**knobs)``: a fresh small sandbox with the given settings."""
    sandboxes = Sandboxes(tmp_path, invoices=SMALL_INVOICES, customers=SMALL_CUSTOMERS)
    yield sandboxes.start
    sandboxes.stop_all()


MakeClient = Callable[..., Awaitable[EnkashClient]]


@pytest.fixture
async def make_client() -> AsyncIterator[MakeClient]:
    """``await make_client(url, login=True, **EnkashClient options)``; closed at teardown.

    ``client_id``/``client_secret``/``username``/``password`` default to the demo company's.
    """
    clients: list[EnkashClient] = []

    async def make(
        url: str,
        *,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
        username: str = DEMO_USERNAME,
        password: str = DEMO_PASSWORD,
        login: bool = True,
        **options: Any,
    ) -> EnkashClient:
        client = EnkashClient(url, client_id, client_secret, **options)
        clients.append(client)
        if login:
            await client.login(username, password)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def client(shared_sandbox: RunningSandbox, make_client: MakeClient) -> EnkashClient:
    """The demo user, signed in to the shared sandbox."""
    return await make_client(shared_sandbox.url)


@pytest.fixture
def wire() -> Wire:
    return Wire()


@pytest.fixture
def recording_sleep() -> RecordingSleep:
    return RecordingSleep()
