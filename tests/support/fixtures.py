"""The fixtures every layer may use, loaded as a plugin by ``tests/conftest.py``.

* ``isolated_dirs`` (autouse): the app's config, state, data and cache folders point into the
  test's tmp folder, so no test reads or writes the real user folders, nor another worker's.
  HOME is ``<tmp>/home`` too, so the downloads and documents folders platformdirs names (where
  exports go) are ``<tmp>/home/Downloads`` and ``<tmp>/home/Documents``, neither made yet.
* ``pinned_clock``: the one clock (``enkash_tui.clock``) starts at 10:00 on ``PINNED_TODAY``
  and runs on, for the app and the sandboxes of this process alike.
* ``pinned_sandbox`` (module): a sandbox seeded for ``PINNED_TODAY`` (300 invoices, 30
  customers), for tests whose rows and days overdue must not change with the date.
* ``pinned_app``: the app on the pinned sandbox, the clock frozen at 10:00 on ``PINNED_TODAY``
  (every "N s ago" reads 0), for snapshots.
* ``sent_requests``: every HTTP request any ``httpx.AsyncClient`` sends during the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from enkash_tui import clock
from tests.support.sandboxes import PINNED_TODAY, RunningSandbox, start


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The state folder (the data folder too, unless a test sets its own)."""
    state = tmp_path / "state"
    # platformdirs finds downloads/documents from HOME and XDG_CONFIG_HOME/user-dirs.dirs (older
    # releases also read XDG_DOWNLOAD_DIR / XDG_DOCUMENTS_DIR): all of them inside tmp_path.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("ENKASH_TUI_STATE_DIR", str(state))
    monkeypatch.setenv("ENKASH_TUI_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("ENKASH_TUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ENKASH_TUI_DATA_DIR", raising=False)
    monkeypatch.delenv("ENKASH_CLIENT_SECRET", raising=False)
    return state


@pytest.fixture
def pinned_clock() -> Iterator[None]:
    with clock.pinned(PINNED_TODAY):
        yield


@pytest.fixture(scope="module")
def pinned_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    folder = tmp_path_factory.mktemp("pinned")
    running = start(folder / "sandbox.db", invoices=300, customers=30, today=PINNED_TODAY)
    yield running
    running.stop()


@pytest.fixture
def pinned_app(pinned_sandbox: RunningSandbox) -> Iterator[Any]:
    from tests.support.driving import build_app

    with clock.pinned(PINNED_TODAY, frozen=True):
        yield build_app(pinned_sandbox.url)


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
