"""Functional fixtures: the real EnkashApp, driven by Textual's Pilot against real sandboxes.

* ``isolated_dirs`` (autouse): ``ENKASH_TUI_STATE_DIR``, ``ENKASH_TUI_CONFIG`` and
  ``ENKASH_TUI_CACHE_DIR`` point into the test's tmp folder, so no test reads or writes the
  real user folders.
* ``sandbox`` (session): one small sandbox (60 invoices, 8 customers) for most tests.
* ``start_sandbox`` (function): a factory for a fresh sandbox with its own knobs
  (``lockout_seconds``, ``token_ttl``, ...), stopped at teardown.
* ``make_app``: builds the app the way ``enkash_tui.launch`` does for ``--sandbox``.
* ``wait_until`` / ``sign_in``: poll for an app state with a timeout, and sign in from the form.
* ``sent_requests``: every HTTP request sent during the test (to prove that none was).
* ``fixed_port_sandbox``: a sandbox on port 8765 for the snapshots, or None if the port is taken.
* ``pinned_sandbox`` (module): a sandbox seeded for ``PINNED_TODAY``, for snapshots whose rows
  and days overdue must not change with the date.
* ``open_customers``: sign in, F3, and wait for the customer cache and its balances.
* ``open_invoices``: sign in, F4, and wait for the first page of the Open preset.
"""

from __future__ import annotations

import datetime as dt
import inspect
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from enkash_tui.app import LANDING_SECTION, EnkashApp
from enkash_tui.config import Settings
from enkash_tui.launch import available_profiles, initial_prefill
from enkash_tui.sandbox.server import SandboxServer
from enkash_tui.sandbox.settings import SandboxSettings

SMALL_INVOICES = 60
SMALL_CUSTOMERS = 8


class RunningSandbox:
    """A sandbox server on a background thread, its base URL and its database connection."""

    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        self.server = SandboxServer(settings)
        self.url = self.server.start()
        self._stopped = False

    @property
    def conn(self) -> Any:
        return self.server.conn

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self.server.stop()


def small_settings(db_path: Path, **knobs: Any) -> SandboxSettings:
    return SandboxSettings(
        db_path=db_path,
        port=knobs.pop("port", 0),
        invoices=knobs.pop("invoices", SMALL_INVOICES),
        customers=knobs.pop("customers", SMALL_CUSTOMERS),
        **knobs,
    )


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    state = tmp_path / "state"
    monkeypatch.setenv("ENKASH_TUI_STATE_DIR", str(state))
    monkeypatch.setenv("ENKASH_TUI_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("ENKASH_TUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ENKASH_CLIENT_SECRET", raising=False)
    return state


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = RunningSandbox(small_settings(tmp_path_factory.mktemp("sandbox") / "sandbox.db"))
    yield running
    running.stop()


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., RunningSandbox]]:
    started: list[RunningSandbox] = []

    def start(**knobs: Any) -> RunningSandbox:
        db_path = tmp_path / f"sandbox-{len(started)}.db"
        running = RunningSandbox(small_settings(db_path, **knobs))
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


def build_app(url: str, **options: Any) -> EnkashApp:
    """As ``launch_app`` does with ``--sandbox``: the Sandbox profile, demo secrets pre-filled."""
    settings = Settings()
    profiles = available_profiles(settings, url)
    options.setdefault("remember", False)
    return EnkashApp(
        settings,
        profiles,
        selected_profile="Sandbox",
        prefill=initial_prefill(profiles, options.get("state")),
        **options,
    )


@pytest.fixture
def make_app(sandbox: RunningSandbox) -> Callable[..., EnkashApp]:
    """``make_app()`` against the shared sandbox; ``make_app(url=...)`` against another."""

    def make(url: str | None = None, **options: Any) -> EnkashApp:
        return build_app(url or sandbox.url, **options)

    return make


async def _wait_until(
    pilot: Pilot[Any],
    condition: Callable[[], bool | Awaitable[bool]],
    *,
    timeout: float = 10.0,
    what: str = "the condition",
) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await pilot.pause(0.02)


async def _sign_in(pilot: Pilot[Any]) -> None:
    """Press Enter on the pre-filled form (focus starts on Sign in) and wait to land."""
    app = pilot.app
    assert isinstance(app, EnkashApp)
    await pilot.press("enter")
    await _wait_until(
        pilot,
        lambda: app.session is not None and app.current_mode == LANDING_SECTION,
        what="the landing section after signing in",
    )
    await pilot.pause()


WaitUntil = Callable[..., Awaitable[None]]
SignIn = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture
def wait_until() -> WaitUntil:
    """``await wait_until(pilot, condition, what=...)``: poll with a timeout, never a bare sleep."""
    return _wait_until


@pytest.fixture
def sign_in() -> SignIn:
    """``await sign_in(pilot)``: Enter on the pre-filled form, then wait for Home."""
    return _sign_in


@pytest.fixture
def sent_requests(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    """Every HTTP request any ``httpx.AsyncClient`` sends during the test, in order."""
    sent: list[httpx.Request] = []
    original = httpx.AsyncClient.send

    async def recording_send(
        self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any
    ) -> httpx.Response:
        sent.append(request)
        return await original(self, request, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "send", recording_send)
    return sent


FIXED_PORT = 8765


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture
def fixed_port_sandbox(tmp_path: Path) -> Iterator[RunningSandbox | None]:
    """A sandbox on the fixed port the snapshots show, or None when that port is taken."""
    if not port_is_free(FIXED_PORT):
        yield None
        return
    running = RunningSandbox(small_settings(tmp_path / "fixed.db", port=FIXED_PORT))
    yield running
    running.stop()


@dataclass(frozen=True)
class PinnedSandbox:
    url: str
    today: dt.date  # what the seed took as today; screens under test must be told the same


@pytest.fixture(scope="module")
def pinned_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PinnedSandbox]:
    today = dt.date(2026, 11, 25)
    settings = SandboxSettings(
        db_path=tmp_path_factory.mktemp("pinned") / "sandbox.db",
        port=0,
        invoices=300,
        customers=30,
        today=today,
    )
    server = SandboxServer(settings)
    url = server.start()
    yield PinnedSandbox(url, today)
    server.stop()


async def _open_customers(pilot: Pilot[Any]) -> Any:
    from screens.customers import CustomersScreen

    if pilot.app.session is None:
        await _sign_in(pilot)
    await pilot.press("f3")
    screen = pilot.app.screen
    assert isinstance(screen, CustomersScreen)
    await _wait_until(
        pilot,
        lambda: (
            screen.cache is not None
            and bool(screen.cache.entries)
            and screen.cache.balances_at is not None
            and not screen.refreshing
        ),
        what="the customer cache and its balances",
    )
    return screen


@pytest.fixture
def open_customers() -> Callable[[Pilot[Any]], Awaitable[Any]]:
    """``screen = await open_customers(pilot)``: signed in (if not yet), on Customers, with
    every customer cached and balances totalled."""
    return _open_customers


async def _open_invoices(pilot: Pilot[Any]) -> Any:
    from screens.invoices import InvoicesScreen

    if pilot.app.session is None:
        await _sign_in(pilot)
    await pilot.press("f4")
    screen = pilot.app.screen
    assert isinstance(screen, InvoicesScreen)
    await _wait_until(pilot, lambda: screen.rows.total is not None, what="the first invoice page")
    await pilot.pause()
    return screen


@pytest.fixture
def open_invoices() -> Callable[[Pilot[Any]], Awaitable[Any]]:
    """``screen = await open_invoices(pilot)``: signed in (if not yet), on Invoices, with the
    first page of the Open preset loaded."""
    return _open_invoices
