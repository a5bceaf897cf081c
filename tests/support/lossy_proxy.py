"""A TCP proxy that loses replies: between the app and a sandbox, it closes the app's connection
before forwarding a chosen request (``before``: EnKash never saw it) or after EnKash answered,
with only the first bytes of the reply sent on (``after``: it took effect, the reply is lost),
or keeps EnKash's answer back until the app goes away (``hold``: it took effect, the app waits)."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"transfer-encoding":
            raise AssertionError("the proxy only understands Content-Length bodies")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class LossyProxy:
    """HTTP/1.1 between the app and a sandbox, on the test's event loop. Every request is
    counted as received (``seen``) and as forwarded to the sandbox (``forwarded``). A request
    matching the next armed rule (``lose``: one-shot, fired in order) has its connection closed
    ``before`` it is forwarded, or ``after`` the sandbox has answered, with only the first bytes
    of the reply sent on, or ``hold`` it back (listed in ``held``) until the app closes the
    connection."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.seen: list[tuple[str, str]] = []
        self.forwarded: list[tuple[str, str]] = []
        self.lost: list[tuple[str, str, str]] = []
        self.held: list[tuple[str, str]] = []
        self._rules: list[tuple[str, str, str]] = []
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self.url = ""

    async def start(self) -> LossyProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    def lose(self, method: str, path: str, when: str) -> None:
        assert when in ("before", "after", "hold")
        self._rules.append((method, path, when))

    def count(self, method: str, path: str) -> int:
        return self.forwarded.count((method, path))

    def _take_rule(self, method: str, path: str) -> str | None:
        # Armed rules fire in order: the second waits until the first has fired. A rule's path
        # ending in "*" matches every path it starts (an id not known in advance).
        if self._rules:
            rule_method, rule_path, when = self._rules[0]
            prefix = rule_path.endswith("*") and path.startswith(rule_path[:-1])
            if rule_method == method and (rule_path == path or prefix):
                self._rules.pop(0)
                return when
        return None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                body = await reader.readexactly(_content_length(head))
                method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                request = (method, urlsplit(target).path)
                self.seen.append(request)
                when = self._take_rule(*request)
                if when == "before":
                    self.lost.append((*request, when))
                    return
                if upstream is None:
                    upstream = await asyncio.open_connection(*self.upstream)
                up_reader, up_writer = upstream
                up_writer.write(head + body)
                await up_writer.drain()
                self.forwarded.append(request)
                reply_head = await up_reader.readuntil(b"\r\n\r\n")
                reply_body = await up_reader.readexactly(_content_length(reply_head))
                if when == "hold":
                    self.held.append(request)
                    await reader.read()  # until the app closes its end (or is killed)
                    return
                if when == "after":
                    self.lost.append((*request, when))
                    writer.write(reply_head[:12])  # "HTTP/1.1 200", then the line goes dead
                    await writer.drain()
                    return
                writer.write(reply_head + reply_body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            self._writers.discard(writer)
            writer.close()
            if upstream is not None:
                upstream[1].close()
