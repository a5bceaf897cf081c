"""Seeing and sending what goes over loopback: a transport that records every exchange, a fake
``sleep`` that records the client's retry delays, and plain HTTP for bodies the client's models
would refuse to send."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx

from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME


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


class RecordingSleep:
    """A fake ``sleep`` for the client's retries: records each delay, never waits."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class RawApi:
    """Plain httpx against a sandbox: sign in, then send any body."""

    def __init__(self, url: str) -> None:
        self.url = url

    def token(
        self,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
        username: str = DEMO_USERNAME,
        password: str = DEMO_PASSWORD,
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
