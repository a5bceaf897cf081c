"""One exchange with EnKash: send a request, read the reply whole, but never more than a cap.

httpx's timeouts are per read, so they cannot stop a server that sends a byte a second; the
caller puts a deadline around the whole exchange (caller.py). What a reply may weigh is bounded
here, while it streams in, so an endless or enormous reply is refused before it fills memory.

The caps are far above any real reply (a sandbox invoice row is 1.4 KB on average, 2.6 KB at
most; a 5,000-row bulk result is 0.4 MB):

* a search page: 1 MiB plus 16 KiB for every row asked for (``limit``), at most 32 MiB;
* a bulk file upload's result: 32 MiB (a file holds at most 5,000 rows);
* any other reply: 4 MiB;
* the sign-in token: 64 KiB.

The cap counts the bytes as decoded (after gzip), which is what the app would hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from enkash_tui.api.errors import ResponseTooLargeError

KIB = 1024
MIB = 1024 * KIB
MAX_REPLY_BYTES = 4 * MIB
MAX_LARGEST_REPLY_BYTES = 32 * MIB
PAGE_BASE_BYTES = 1 * MIB
PAGE_ROW_BYTES = 16 * KIB
MAX_TOKEN_REPLY_BYTES = 64 * KIB


@dataclass(frozen=True)
class Received:
    """A reply as read: its status, headers and the whole (decoded) body."""

    status_code: int
    headers: httpx.Headers
    content: bytes


def reply_cap(params: Mapping[str, Any], *, upload: bool) -> int:
    """The most bytes a reply to this request may hold (see the module docstring)."""
    if upload:
        return MAX_LARGEST_REPLY_BYTES
    limit = params.get("limit")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return min(MAX_LARGEST_REPLY_BYTES, PAGE_BASE_BYTES + PAGE_ROW_BYTES * limit)
    return MAX_REPLY_BYTES


def _size(count: int) -> str:
    unit, name = (MIB, "MB") if count >= MIB else (KIB, "KB")
    return f"{count / unit:.1f}".removesuffix(".0") + f" {name}"


async def receive(http: httpx.AsyncClient, request: httpx.Request, cap: int) -> Received:
    """Send ``request`` and read its reply as it streams in, up to ``cap`` bytes.

    A success reply over the cap is an error (ResponseTooLargeError). A failure reply (4xx/5xx)
    is cut at the cap instead: its status says what happened, and a cut body reads as none."""
    response = await http.send(request, stream=True)
    body = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            if len(body) + len(chunk) > cap:
                if response.status_code >= 400:
                    body += chunk[: cap - len(body)]
                    break
                raise ResponseTooLargeError(
                    f"EnKash's reply is larger than {_size(cap)}, more than any real answer "
                    "to this request: it was not read further"
                )
            body += chunk
    finally:
        await response.aclose()
    return Received(response.status_code, response.headers, bytes(body))
