"""A hostile EnKash on loopback: a small HTTP/1.1 server on the test's event loop that answers
each path the way the test says, e.g. one byte at a time, without end, or with a reply no real
server sends. Paths it was not told about drip without end, like a server that has hung.

``server.answer(path, behaviour)``; behaviours are the functions below (``reply``, ``drip``,
``flood``, ``endless``). ``/oauth/token`` answers with a good token unless told otherwise.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

Behaviour = Callable[[asyncio.StreamWriter], Awaitable[None]]

TOKEN_PATH = "/oauth/token"
GOOD_TOKEN = {"access_token": "hostile-token-1", "token_type": "bearer", "expires_in": 3600}


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def envelope(payload: Any) -> dict[str, Any]:
    return {"response_code": 0, "response_message": "Success", "payload": payload}


def reply(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Behaviour:
    """A whole reply at once: JSON for dicts and lists, bytes as they are."""
    content = body if isinstance(body, bytes) else json.dumps(body).encode()

    async def send(writer: asyncio.StreamWriter) -> None:
        extra = {"Content-Type": "application/json", **(headers or {})}
        writer.write(_head(status, {"Content-Length": str(len(content)), **extra}) + content)
        await writer.drain()

    return send


def drip(body: Any = None, *, every: float = 0.2) -> Behaviour:
    """The status line and headers, then the body one byte every ``every`` seconds: each read
    gets something, so no per-read timeout ever fires. Without a body, it never ends."""
    content = json.dumps(body).encode() if body is not None else None

    async def send(writer: asyncio.StreamWriter) -> None:
        length = len(content) if content is not None else 10**9
        writer.write(_head(200, {"Content-Length": str(length)}))
        await writer.drain()
        for index in range(length):
            await asyncio.sleep(every)
            writer.write(content[index : index + 1] if content is not None else b" ")
            await writer.drain()

    return send


def flood(size: int, *, status: int = 200) -> Behaviour:
    """A reply of ``size`` bytes with its Content-Length: a valid envelope start, then spaces."""

    async def send(writer: asyncio.StreamWriter) -> None:
        start = b'{"response_code": 0, "payload": "'
        writer.write(_head(status, {"Content-Length": str(size)}) + start)
        left = size - len(start)
        while left > 0:
            chunk = min(left, 64 * 1024)
            writer.write(b" " * chunk)
            await writer.drain()
            left -= chunk

    return send


def endless(sent: list[int]) -> Behaviour:
    """A chunked reply that never ends; ``sent`` gets the bytes written when it stops."""

    async def send(writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, {"Transfer-Encoding": "chunked"}))
        total = 0
        chunk = b" " * (64 * 1024)
        try:
            while True:
                writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                await writer.drain()
                total += len(chunk)
        finally:
            sent.append(total)

    return send


class HostileServer:
    """``async with HostileServer() as server:``; ``server.url`` is its base URL."""

    def __init__(self) -> None:
        self.behaviours: dict[str, Behaviour] = {TOKEN_PATH: reply(GOOD_TOKEN)}
        self.requests: list[tuple[str, str]] = []  # (method, path), in order of arrival
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self.url = ""

    def answer(self, path: str, behaviour: Behaviour) -> None:
        self.behaviours[path] = behaviour

    async def __aenter__(self) -> HostileServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        # Hang up on every client: each handler then ends by itself (reads see EOF, writes fail).
        for writer in list(self._writers):
            writer.close()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                length = 0
                for line in lines:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                await reader.readexactly(length)
                path = target.split("?", 1)[0]
                self.requests.append((method, path))
                await self.behaviours.get(path, drip())(writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client hung up: what a hostile reply should make it do
        finally:
            self._tasks.discard(task)
            self._writers.discard(writer)
            writer.close()
