"""Shared fixtures for the EnkashClient tests: a scripted fake EnKash behind httpx.MockTransport.

``FakeEnkash`` records every request the client sends. ``/oauth/token`` answers with a fresh
token each time (``token-1``, ``token-2``, ...) unless a test scripts it; every other request is
answered from a per-``(METHOD, path)`` queue of responses (the last one repeats).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from enkash_tui.api import EnkashClient

BASE_URL = "https://enkash.test"
CLIENT_ID = "CEKFOWV7UQ"
CLIENT_SECRET = "enkash-secret"
USERNAME = "ar.user@acme.in"
PASSWORD = "Password@123"
TOKEN_PATH = "/oauth/token"


def envelope(payload: Any = None, message: str = "SUCCESS") -> dict[str, Any]:
    """A successful ``ResponseDTO``."""
    return {"response_code": 0, "response_message": message, "payload": payload}


def ok(payload: Any = None, *, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(200, json=envelope(payload), headers=headers)


def token_response(access_token: str, expires_in: int | None = 3600) -> httpx.Response:
    body: dict[str, Any] = {"access_token": access_token, "token_type": "bearer"}
    if expires_in is not None:
        body["expires_in"] = expires_in
    return httpx.Response(200, json=body)


Responder = httpx.Response | BaseException | Callable[[httpx.Request], Any]


class FakeEnkash:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.scripts: dict[tuple[str, str], list[Responder]] = {}
        self.token_script: list[Responder] = []
        self.tokens_issued = 0
        self.token_lifetime: int | None = 3600
        self.transport = httpx.MockTransport(self._handle)

    # -- scripting ---------------------------------------------------------------------------

    def on(self, method: str, path: str, *responses: Responder) -> None:
        """Answer ``METHOD path`` with ``responses`` in order; the last one repeats."""
        self.scripts[(method, path)] = list(responses)

    def on_token(self, *responses: Responder) -> None:
        self.token_script = list(responses)

    # -- what the client sent ----------------------------------------------------------------

    @property
    def token_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == TOKEN_PATH]

    @property
    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path != TOKEN_PATH]

    @property
    def last(self) -> httpx.Request:
        return self.api_requests[-1]

    def only(self) -> httpx.Request:
        """The one API request sent (fails if there were more or none)."""
        assert len(self.api_requests) == 1, [str(r.url) for r in self.api_requests]
        return self.api_requests[0]

    # -- the transport -----------------------------------------------------------------------

    @staticmethod
    def _pop(queue: list[Responder]) -> Responder:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    async def _answer(self, responder: Responder, request: httpx.Request) -> httpx.Response:
        if isinstance(responder, BaseException):
            raise responder
        if isinstance(responder, httpx.Response):
            return responder
        result = responder(request)
        if inspect.isawaitable(result):
            result = await result
        if isinstance(result, httpx.Response):
            return result
        return ok(result)

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == TOKEN_PATH:
            if self.token_script:
                return await self._answer(self._pop(self.token_script), request)
            self.tokens_issued += 1
            return token_response(f"token-{self.tokens_issued}", self.token_lifetime)
        key = (request.method, request.url.path)
        if key not in self.scripts:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        return await self._answer(self._pop(self.scripts[key]), request)


def json_body(request: httpx.Request) -> Any:
    return json.loads(request.content)


@pytest.fixture
def fake() -> FakeEnkash:
    return FakeEnkash()


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Sleeps:
    """A fake ``asyncio.sleep`` that records the delays asked for."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def make_client(
    fake: FakeEnkash, sleeps: Sleeps, clock: Clock
) -> AsyncIterator[Callable[..., EnkashClient]]:
    """Build clients wired to ``fake`` (closed at teardown). Keyword arguments override."""
    made: list[EnkashClient] = []

    def build(**options: Any) -> EnkashClient:
        settings: dict[str, Any] = {
            "base_url": BASE_URL,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "transport": fake.transport,
            "sleep": sleeps,
            "clock": clock,
        }
        settings.update(options)
        client = EnkashClient(
            settings.pop("base_url"),
            settings.pop("client_id"),
            settings.pop("client_secret"),
            **settings,
        )
        made.append(client)
        return client

    yield build
    for client in made:
        await client.aclose()


@pytest.fixture
async def client(make_client: Callable[..., EnkashClient], fake: FakeEnkash) -> EnkashClient:
    """A signed-in client (token ``token-1``); the sign-in request is in ``fake.requests``."""
    built = make_client()
    await built.login(USERNAME, PASSWORD)
    return built
