"""Reading a request body safely: a size cap (413), and JSON that is neither too deep nor holds
text that is not text (a lone surrogate), each refused in the error envelope instead of a 500."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from decimal import Decimal
from typing import Any

from starlette.responses import Response

from enkash_tui.api.errors import ErrorType
from enkash_tui.sandbox.envelope import SandboxError, dumps, failure

# The largest legitimate request is a bulk file: 5,000 rows (its cap) with every cell at its
# longest, in a script of 4-byte characters, is about 20 MiB. JSON bodies are far smaller.
MAX_BODY_BYTES = 32 * 2**20
# The deepest legitimate body (a customer with contacts and reminders) is 3 levels deep.
MAX_JSON_DEPTH = 32

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    """The request body grew past ``MAX_BODY_BYTES`` while being read."""


def too_large_error(limit: int = MAX_BODY_BYTES) -> SandboxError:
    return SandboxError(
        ErrorType.CLIENT_REQUEST_ERROR,
        f"Request body too large: at most {limit // 2**20} MiB",
        status=413,
    )


class BodyLimit:
    """ASGI middleware: a declared ``Content-Length`` over the limit is refused before the body
    is read; a body without one (chunked) is counted as it arrives and refused once over."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared(scope) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False
        more = True

        async def counted() -> Message:
            nonlocal received, more
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                more = bool(message.get("more_body"))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:  # cannot happen (a reply comes after its body), but never send two
                raise
            if more:
                await self._drain(receive)
            await self._refuse(scope, receive, send)

    async def _drain(self, receive: Receive) -> None:
        """Read and drop the rest of a body that is not much over the limit: a reply sent with
        its data still unread can be lost to a connection reset. An endless body is cut off."""
        dropped = 0
        while dropped <= self.limit:
            message = await receive()
            if message["type"] != "http.request":
                return
            dropped += len(message.get("body", b""))
            if not message.get("more_body"):
                return

    @staticmethod
    def _declared(scope: Scope) -> int:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0  # the server refuses a malformed length before we see it
        return 0

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Connection: close, as the rest of the body is never read.
        response = Response(
            dumps(failure(too_large_error(self.limit))),
            413,
            headers={"Connection": "close"},
            media_type="application/json",
        )
        await response(scope, receive, send)


def _malformed(reason: str) -> SandboxError:
    return SandboxError(ErrorType.VALIDATION_ERROR, f"Malformed JSON request body: {reason}")


def _too_deep() -> SandboxError:
    return _malformed(f"nested too deeply (at most {MAX_JSON_DEPTH} levels)")


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: JSON can escape one, UTF-8 cannot hold it
        return False
    return True


def _check(document: Any) -> None:
    """Depth and text of a parsed document, walked without recursion."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not _is_text(value):
                raise _malformed("a lone surrogate (like \\ud800) is not text")
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for key, item in items:
            if key is not None:
                stack.append((key, depth))
            stack.append((item, depth + 1))


def parse_json(raw: bytes | str) -> Any:
    """The JSON document in ``raw`` (decimals exact), or a 400 saying why it cannot be read."""
    try:
        document = json.loads(raw, parse_float=Decimal)
    except RecursionError:
        raise _too_deep() from None
    except ValueError:
        raise _malformed("not valid JSON") from None
    _check(document)
    return document
