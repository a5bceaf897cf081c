"""``EnkashClient``: one typed async method per EnKash AR operation, over one httpx client.

The methods live in ``operations/`` (one module per resource); this class joins them and owns the
connection, the token and the caller they share.

Every HTTP call the app makes goes through here. Methods take and return the pydantic models in
``enkash_tui.api.models`` and raise the typed errors in ``enkash_tui.api.errors``; local input is
checked by the models before anything is sent (a ``pydantic.ValidationError``).
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self

import httpx
from pydantic import SecretStr

from enkash_tui import __version__
from enkash_tui.api.auth import Credentials, TokenManager
from enkash_tui.api.call_record import CallRecord
from enkash_tui.api.caller import DEFAULT_DEADLINE_SECONDS, Caller, CallInFlight, Reply, Sleep
from enkash_tui.api.models import Token
from enkash_tui.api.operations.base import tenant
from enkash_tui.api.operations.bharat_connect import BharatConnectOperations
from enkash_tui.api.operations.customers import CustomerOperations
from enkash_tui.api.operations.invoices import InvoiceOperations
from enkash_tui.api.operations.reminders import ReminderOperations
from enkash_tui.api.retry import RetryPolicy
from enkash_tui.api.routes import Route, build_routes
from enkash_tui.api.urls import check_base_url


@functools.cache
def default_tls_context() -> ssl.SSLContext:
    """The verifying TLS context every client shares: loading the CA bundle takes tens of ms,
    once per process is enough (the sign-in screen warms it up in the background)."""
    return httpx.create_ssl_context(verify=True)


class EnkashClient(
    CustomerOperations, InvoiceOperations, ReminderOperations, BharatConnectOperations
):
    """Async client for the EnKash AR API. Use as ``async with EnkashClient(...) as client``."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: SecretStr | str,
        *,
        timeout: float = 20.0,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
        encrypt_payloads: bool = False,
        route_overrides: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        verify_tls: bool = True,
        company_id: str | None = None,
        seller_id: str | None = None,
        parent_company_id: str | None = None,
        readonly: bool = False,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        secret = client_secret if isinstance(client_secret, SecretStr) else SecretStr(client_secret)
        self.routes: dict[str, Route] = build_routes(route_overrides)
        self.company_id = tenant(company_id, "companyId")
        self.seller_id = tenant(seller_id, "sellerId")
        self.parent_company_id = tenant(parent_company_id, "parentCompanyId")
        self._http = httpx.AsyncClient(
            base_url=httpx.URL(check_base_url(base_url)),
            timeout=timeout,
            transport=transport,
            verify=default_tls_context() if verify_tls else False,
            headers={"User-Agent": f"enkash-tui/{__version__}"},
        )
        self._tokens = TokenManager(client_id, secret, clock=clock)
        self._caller = Caller(
            self._http,
            self.routes,
            self._tokens,
            client_secret=secret,
            encrypt_payloads=encrypt_payloads,
            retry=retry or RetryPolicy(),
            readonly=readonly,
            sleep=sleep,
            deadline=deadline,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def base_url(self) -> str:
        return str(self._http.base_url)

    @property
    def on_connection_change(self) -> Callable[[bool], None] | None:
        """Called with True whenever EnKash answers and False on a transport failure."""
        return self._caller.on_connection_change

    @on_connection_change.setter
    def on_connection_change(self, listener: Callable[[bool], None] | None) -> None:
        self._caller.on_connection_change = listener

    @property
    def on_call_record(self) -> Callable[[CallRecord], None] | None:
        """Called with a ``CallRecord`` when a call that changes data ends, however it ended."""
        return self._caller.on_call_record

    @on_call_record.setter
    def on_call_record(self, listener: Callable[[CallRecord], None] | None) -> None:
        self._caller.on_call_record = listener

    @property
    def on_call_start(self) -> Callable[[CallRecord], None] | None:
        """Called with a ``pending`` ``CallRecord`` just before a call that changes data is
        sent; the final record has the same ``call_id``."""
        return self._caller.on_call_start

    @on_call_start.setter
    def on_call_start(self, listener: Callable[[CallRecord], None] | None) -> None:
        self._caller.on_call_start = listener

    @property
    def deadline(self) -> float:
        """Seconds any one call may take in all (``timeout`` is per read, this per call)."""
        return self._caller.deadline

    def calls_in_flight(self) -> list[CallInFlight]:
        """The calls on their way now, oldest first; each can be stopped (``stop()``)."""
        return list(self._caller.in_flight)

    @property
    def call_owner(self) -> Callable[[], object] | None:
        """Asked, as each call starts, who started it (kept as ``CallInFlight.owner``)."""
        return self._caller.call_owner

    @call_owner.setter
    def call_owner(self, owner: Callable[[], object] | None) -> None:
        self._caller.call_owner = owner

    async def resend(
        self,
        operation: str,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> Reply:
        """Send a recorded change again as it was first sent (uploads excepted: ValueError)."""
        return await self._caller.resend(
            operation, path_params=path_params, query=query, json_body=json_body
        )

    @property
    def readonly(self) -> bool:
        """True when every call that changes data is refused locally (ReadOnlyError)."""
        return self._caller.readonly

    @property
    def signed_in(self) -> bool:
        return self._tokens.signed_in

    @property
    def username(self) -> str | None:
        return self._tokens.username

    def token_expires_in(self) -> float | None:
        return self._tokens.expires_in()

    # -- authentication ------------------------------------------------------------------------

    async def login(self, username: str, password: SecretStr | str) -> Token:
        """Password grant. The credentials stay in memory to renew the token on expiry or 401."""
        secret = password if isinstance(password, SecretStr) else SecretStr(password)
        return await self._caller.login(Credentials(username, secret))

    def logout(self) -> None:
        self._tokens.forget()
