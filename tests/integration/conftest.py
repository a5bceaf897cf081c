"""Integration fixtures: real sandboxes on loopback, driven by the real ``EnkashClient``.

* ``shared_sandbox`` (session): one sandbox with 600 demo invoices and 60 customers for the
  read-mostly tests. Tests that write to it only touch records they created themselves.
* ``start_sandbox`` (function): a factory for fresh sandboxes, each on its own temporary
  database with small data (80 invoices, 12 customers) and any fault or behaviour knob
  (``token_ttl``, ``lockout_seconds``, ``failure_rate``/``fault_seed``, ``rate_limit``,
  ``latency_ms``, ``token_shape``, ``encrypt``). Every server started is stopped at teardown.
* ``make_client`` / ``client``: ``EnkashClient`` instances signed in as the demo user.
* ``Wire`` (via ``wire``): an httpx transport that records what really went over loopback.
* ``RecordingSleep`` (via ``recording_sleep``): a fake ``sleep`` that records retry delays.
* ``raw``: plain httpx calls for bodies the client's models would refuse to send.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import (
    CustomerCreate,
    CustomerFilter,
    CustomerStatus,
    InvoiceCreate,
    KeyContactCreate,
)
from enkash_tui.sandbox.server import DEMO, SandboxServer
from enkash_tui.sandbox.settings import SandboxSettings

SHARED_INVOICES = 600
SHARED_CUSTOMERS = 60
SMALL_INVOICES = 80
SMALL_CUSTOMERS = 12


class RunningSandbox:
    """A sandbox server on a background thread, and its base URL."""

    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        self.server = SandboxServer(settings)
        self.url = self.server.start()
        self._stopped = False

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self.server.stop()

    def restart(self) -> None:
        """Stop and start again on the same port and database: issued tokens are forgotten."""
        port = int(self.url.rsplit(":", 1)[1])
        self.stop()
        self.settings = dataclasses.replace(self.settings, port=port)
        self.server = SandboxServer(self.settings)
        self._stopped = False
        url = self.server.start()
        assert url == self.url


@pytest.fixture(scope="session")
def shared_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    settings = SandboxSettings(
        db_path=tmp_path_factory.mktemp("shared-sandbox") / "sandbox.db",
        port=0,
        invoices=SHARED_INVOICES,
        customers=SHARED_CUSTOMERS,
    )
    sandbox = RunningSandbox(settings)
    yield sandbox
    sandbox.stop()


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., RunningSandbox]]:
    """``start_sandbox(**knobs)``: a fresh small sandbox with the given settings."""
    started: list[RunningSandbox] = []

    def start(**knobs: Any) -> RunningSandbox:
        options: dict[str, Any] = {
            "db_path": tmp_path / f"sandbox-{len(started)}.db",
            "port": 0,
            "invoices": SMALL_INVOICES,
            "customers": SMALL_CUSTOMERS,
            **knobs,
        }
        sandbox = RunningSandbox(SandboxSettings(**options))
        started.append(sandbox)
        return sandbox

    yield start
    for sandbox in reversed(started):
        sandbox.stop()


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
        client_id: str = DEMO.client_id,
        client_secret: str = DEMO.client_secret,
        username: str = DEMO.username,
        password: str = DEMO.password,
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


# -- observing the wire ----------------------------------------------------------------------


@dataclasses.dataclass
class Exchange:
    method: str
    path: str
    status: int
    request_body: bytes
    response_body: bytes
    response_headers: httpx.Headers


class Wire(httpx.AsyncBaseTransport):
    """A real loopback transport that keeps a log of every request and its response."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.log: list[Exchange] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        response = await self._inner.handle_async_request(request)
        content = await response.aread()
        self.log.append(
            Exchange(
                request.method,
                request.url.path,
                response.status_code,
                body,
                content,
                response.headers,
            )
        )
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()

    @property
    def api(self) -> list[Exchange]:
        """Every exchange except sign-ins."""
        return [e for e in self.log if e.path != "/oauth/token"]

    def summary(self) -> list[tuple[str, int]]:
        """``("token" | path, status)`` per exchange, in order."""
        return [("token" if e.path == "/oauth/token" else e.path, e.status) for e in self.log]


@pytest.fixture
def wire() -> Wire:
    return Wire()


class RecordingSleep:
    """A fake ``sleep`` for the client's retries: records each delay, never waits."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def recording_sleep() -> RecordingSleep:
    return RecordingSleep()


# -- raw HTTP, for what the client's models would refuse to send ---------------------------


class RawApi:
    """Plain httpx against a sandbox: sign in, then send any body."""

    def __init__(self, url: str) -> None:
        self.url = url

    def token(
        self,
        client_id: str = DEMO.client_id,
        client_secret: str = DEMO.client_secret,
        username: str = DEMO.username,
        password: str = DEMO.password,
    ) -> str:
        response = httpx.post(
            f"{self.url}/oauth/token",
            auth=(client_id, client_secret),
            data={
                "username": username,
                "password": password,
                "grant_type": "password",
                "clientId": client_id,
            },
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        token = self.token() if token is None else token
        return httpx.request(
            method,
            f"{self.url}{path}",
            json=json,
            params=params,
            headers={"Authorization": f"Bearer {token}"},
        )


@pytest.fixture
def raw() -> Callable[[str], RawApi]:
    return RawApi


# -- building test records -------------------------------------------------------------------


def unique(prefix: str = "ITest") -> str:
    return f"{prefix} {uuid.uuid4().hex[:10].upper()}"


class Records:
    """Request bodies with valid defaults, and helpers to find seeded records."""

    @staticmethod
    def customer(**overrides: Any) -> CustomerCreate:
        data: dict[str, Any] = {
            "legal_name": unique("ITest Traders"),
            "address": "12 MG Road, Pune",
            "state": "Maharashtra",
            "pin_code": "411001",
            "contact_number": "+919812345678",
            "account_number": "001234567890",
            "ifsc": "HDFC0001234",
            "pan_or_gstin": "27AAACA1234A1Z5",
            "unique_ref_no": unique("ERP"),
            "customer_key_contacts": [
                KeyContactCreate(
                    name="Ravi Kumar",
                    legal_name="Ravi Kumar",
                    mobile="9812345678",
                    email="ravi@example.in",
                    mail_enabled=True,
                    sms_enabled=True,
                )
            ],
            **overrides,
        }
        return CustomerCreate(**data)

    @staticmethod
    def invoice(customer_id: str, **overrides: Any) -> InvoiceCreate:
        data: dict[str, Any] = {
            "customer_id": customer_id,
            "invoice_number": unique("IT").replace(" ", "-"),
            "due_date": dt.date.today() + dt.timedelta(days=30),
            "base_amount": Decimal("1000.00"),
            "description": "Integration test invoice",
            **overrides,
        }
        return InvoiceCreate(**data)

    @staticmethod
    async def active_customer_id(client: EnkashClient, offset: int = 0) -> str:
        """A seeded active customer (with key contacts), for invoices a test raises itself."""
        page = await client.search_customers(
            CustomerFilter(customer_status=CustomerStatus.ACTIVE),
            offset=offset,
            limit=1,
            order_by="customerId",
        )
        assert page.items, "the sandbox has no active customer"
        return page.items[0].customer_id


@pytest.fixture
def records() -> type[Records]:
    return Records
