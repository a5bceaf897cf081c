"""The sandbox under hostile requests: over-size bodies, deep or broken JSON, SQLite's own limits
and sign-in probing. Each is answered in the EnKash error envelope, never a bare 500.

Bodies are sent raw (httpx, or a socket where the framing itself is the point), since the
client's models would refuse to send them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import socket
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from enkash_tui.api.bulk_format import CUSTOMER_CREATE_COLUMNS, MAX_ROWS
from enkash_tui.sandbox.request_body import MAX_BODY_BYTES
from enkash_tui.sandbox.server import DEMO
from tests.support.sandboxes import RunningSandbox
from tests.support.wire import RawApi

CUSTOMER_SEARCH = "/api/v0/customer/search"
INVOICE_SEARCH = "/api/v0/invoice/search"


def _envelope(response: httpx.Response, status: int) -> dict[str, Any]:
    """The documented error envelope with ``status``; its errorResponse."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["response_code"] != 0 and body["payload"] is None
    error = body["errorResponse"]
    uuid.UUID(error["requestId"])
    dt.datetime.strptime(error["timestamp"], "%Y-%m-%d %H:%M:%S")
    assert error["errorMessage"] == body["response_message"]
    return dict(error)


def _raw_post(sandbox: RunningSandbox, path: str, body: bytes, token: str) -> httpx.Response:
    return httpx.post(
        f"{sandbox.url}{path}",
        content=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def _sqlite_limit(which: int) -> int:
    """This build's default for one of SQLite's limits (they differ between builds)."""
    conn = sqlite3.connect(":memory:")
    try:
        return conn.getlimit(which)
    finally:
        conn.close()


@pytest.fixture
def sandbox(start_sandbox) -> RunningSandbox:
    """A small sandbox of this test's own (a test may lower its SQLite limits)."""
    running: RunningSandbox = start_sandbox(invoices=20, customers=4)
    return running


@pytest.fixture
def token(sandbox: RunningSandbox) -> str:
    return RawApi(sandbox.url).token()


# -- body size -----------------------------------------------------------------------------------


def _exchange(sandbox: RunningSandbox, head: bytes, chunks: Iterable[bytes] = ()) -> bytes:
    """Send ``head`` then ``chunks`` on one connection; the whole reply as the server sent it
    (it closes the connection after a 413)."""
    parts = urlsplit(sandbox.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head)
        for chunk in chunks:
            sock.sendall(chunk)
        reply = b""
        while data := sock.recv(65536):
            reply += data
    return reply


def _reply_status_and_body(reply: bytes) -> tuple[int, bytes]:
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _as_response(reply: bytes) -> httpx.Response:
    status, body = _reply_status_and_body(reply)
    return httpx.Response(status, content=body, headers={"content-type": "application/json"})


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(
    sandbox: RunningSandbox, token: str
) -> None:
    head = (
        f"POST {CUSTOMER_SEARCH} HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {MAX_BODY_BYTES + 1}\r\n\r\n"
    ).encode()
    # No body follows: the answer comes from the header alone.
    reply = _exchange(sandbox, head)

    assert b"connection: close" in reply.partition(b"\r\n\r\n")[0].lower()
    error = _envelope(_as_response(reply), 413)
    assert error["errorType"] == "CLIENT_REQUEST_ERROR"
    assert f"{MAX_BODY_BYTES // 2**20} MiB" in error["errorMessage"]


def test_a_streamed_body_over_the_limit_is_refused(sandbox: RunningSandbox, token: str) -> None:
    head = (
        f"POST {CUSTOMER_SEARCH} HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    piece = b" " * 2**20  # JSON whitespace: what is read parses, only the size is wrong

    def chunks() -> Iterator[bytes]:
        sent = 0
        while sent <= MAX_BODY_BYTES:
            yield b"%x\r\n%s\r\n" % (len(piece), piece)
            sent += len(piece)
        yield b"2\r\n{}\r\n0\r\n\r\n"

    error = _envelope(_as_response(_exchange(sandbox, head, chunks())), 413)
    assert "too large" in error["errorMessage"]


def test_a_sign_in_over_the_limit_is_refused_too(sandbox: RunningSandbox) -> None:
    head = (
        "POST /oauth/token HTTP/1.1\r\nHost: sandbox\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n"
    ).encode()
    _envelope(_as_response(_exchange(sandbox, head)), 413)


def test_a_sign_in_field_starlette_refuses_is_an_oauth_error(sandbox: RunningSandbox) -> None:
    response = httpx.post(
        f"{sandbox.url}/oauth/token",
        auth=(DEMO.client_id, DEMO.client_secret),
        data={"username": DEMO.username, "password": "x" * 2**21, "grant_type": "password"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "maximum size" in response.json()["error_description"]


def test_a_body_at_the_limit_is_read(sandbox: RunningSandbox, token: str) -> None:
    body = b"{}".ljust(MAX_BODY_BYTES, b" ")
    response = _raw_post(sandbox, CUSTOMER_SEARCH, body, token)
    assert response.status_code == 200, response.text


def test_the_largest_bulk_file_fits_the_limit(sandbox: RunningSandbox, token: str) -> None:
    """5,000 rows (a file's cap), every cell at its longest, in 4-byte characters."""
    wide = "\U0001f600"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CUSTOMER_CREATE_COLUMNS)
    for n in range(MAX_ROWS):
        writer.writerow(
            {
                "legalName": f"{n:05d}" + wide * 195,
                "address": wide * 500,
                "state": wide * 60,
                "pinCode": "400001",
                "contactNumber": "+91 9820012345",
                "accountNumber": "A" * 36,
                "ifsc": "HDFC0001234",
                "panOrGstin": "AAACS1234A",  # a PAN: a GSTIN's state code must match State
                "uniqueRefNo": wide * 60,
                "customerCompanyId": "X" * 40,
                "contactName": wide * 100,
                "contactMobile": "+91 9820012345",
                "contactEmail": "a" * 242 + "@example.com",
            }[column]
            for column in CUSTOMER_CREATE_COLUMNS
        )
    content = out.getvalue().encode("utf-8")

    response = httpx.post(
        f"{sandbox.url}/api/v0/customer/bulk",
        params={"companyId": DEMO.client_id},
        files={"file": ("customers.csv", content, "text/csv")},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )

    assert response.status_code == 200, response.text[:500]
    result = response.json()["payload"]
    assert (result["success_count"], result["failure_count"]) == (MAX_ROWS, 0)


# -- JSON that cannot be read --------------------------------------------------------------------


@pytest.mark.parametrize("path", [CUSTOMER_SEARCH, "/api/v0/customer"])
def test_deeply_nested_json_is_a_400(sandbox: RunningSandbox, token: str, path: str) -> None:
    response = _raw_post(sandbox, path, b"[" * 100_000, token)

    error = _envelope(response, 400)
    assert error["errorType"] == "VALIDATION_ERROR"
    assert "nested" in error["errorMessage"]


def test_nesting_that_python_could_read_is_still_bounded(
    sandbox: RunningSandbox, token: str
) -> None:
    body = b'{"legalName":' + b"[" * 200 + b"]" * 200 + b"}"
    error = _envelope(_raw_post(sandbox, CUSTOMER_SEARCH, body, token), 400)
    assert "nested" in error["errorMessage"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v0/customer", rb'{"legalName": "Acme \ud800", "customerKeyContacts": []}'),
        (CUSTOMER_SEARCH, rb'{"legalName": "\udfff"}'),
        (INVOICE_SEARCH, rb'{"invoiceNumber": "a", "\ud83d": 1}'),
    ],
)
def test_a_lone_surrogate_is_a_400(
    sandbox: RunningSandbox, token: str, path: str, body: bytes
) -> None:
    error = _envelope(_raw_post(sandbox, path, body, token), 400)
    assert error["errorType"] == "VALIDATION_ERROR"
    assert "surrogate" in error["errorMessage"]


def test_a_proper_surrogate_pair_is_text(sandbox: RunningSandbox, token: str) -> None:
    response = _raw_post(sandbox, CUSTOMER_SEARCH, rb'{"legalName": "\ud83d\ude00"}', token)
    assert response.status_code == 200, response.text
    assert response.json()["payload"] == []


# -- SQLite's limits -----------------------------------------------------------------------------


def test_a_filter_with_more_ids_than_sqlite_takes_is_a_400(
    sandbox: RunningSandbox, token: str
) -> None:
    many = _sqlite_limit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) + 1
    ids = [f"KC{n:014d}" for n in range(many)]
    api = RawApi(sandbox.url)

    for path, field in ((CUSTOMER_SEARCH, "customerIds"), (INVOICE_SEARCH, "invoiceIds")):
        error = _envelope(api.call("POST", path, token=token, json={field: ids}), 400)
        assert error["errorType"] == "VALIDATION_ERROR"
        assert error["errorMessage"].startswith(f"{field}: at most ")
        assert [sub["field"] for sub in error["apiSubErrors"]] == [field]


def test_search_text_longer_than_a_like_pattern_may_be_is_a_400(
    sandbox: RunningSandbox, token: str
) -> None:
    # % and _ are taken literally (escaped), which doubles the pattern's length.
    text = "%_" * (_sqlite_limit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH) // 2)
    api = RawApi(sandbox.url)

    for path, field in ((CUSTOMER_SEARCH, "legalName"), (INVOICE_SEARCH, "invoiceNumber")):
        error = _envelope(api.call("POST", path, token=token, json={field: text}), 400)
        assert error["errorMessage"].startswith(f"{field}: at most ")
        assert "characters" in error["errorMessage"]


def test_wildcards_in_search_text_are_literal(sandbox: RunningSandbox, token: str) -> None:
    api = RawApi(sandbox.url)
    response = api.call("POST", CUSTOMER_SEARCH, token=token, json={"legalName": "%"})
    assert response.status_code == 200
    assert response.json()["payload"] == []  # no seeded name holds a %


def test_sqlite_refusing_too_many_variables_is_a_400_in_words(
    sandbox: RunningSandbox, token: str
) -> None:
    """The last resort, for a build whose limit is below the sandbox's own bounds."""
    sandbox.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 8)
    ids = [f"KI{n:014d}" for n in range(20)]

    response = RawApi(sandbox.url).call(
        "POST", INVOICE_SEARCH, token=token, json={"invoiceIds": ids}
    )

    error = _envelope(response, 400)
    assert error["errorType"] == "VALIDATION_ERROR"
    assert "too many values" in error["errorMessage"]
    assert "SQL" not in error["errorMessage"]


def test_sqlite_refusing_a_like_pattern_is_a_400_in_words(
    sandbox: RunningSandbox, token: str
) -> None:
    sandbox.conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 8)

    response = RawApi(sandbox.url).call(
        "POST", CUSTOMER_SEARCH, token=token, json={"legalName": "a longer name"}
    )

    error = _envelope(response, 400)
    assert "search text is too long" in error["errorMessage"]
    assert "GLOB" not in error["errorMessage"]


# -- sign-in -------------------------------------------------------------------------------------


def _sign_in(sandbox: RunningSandbox, username: str, password: str) -> tuple[int, Any]:
    response = httpx.post(
        f"{sandbox.url}/oauth/token",
        auth=(DEMO.client_id, DEMO.client_secret),
        data={
            "username": username,
            "password": password,
            "grant_type": "password",
            "clientId": DEMO.client_id,
        },
    )
    return response.status_code, response.json()


def test_an_unknown_user_is_answered_as_a_wrong_password(start_sandbox) -> None:
    sandbox = start_sandbox(invoices=5, customers=2)
    known = [_sign_in(sandbox, DEMO.username, f"wrong-{n}") for n in range(4)]
    unknown = [_sign_in(sandbox, "nobody@example.com", f"wrong-{n}") for n in range(4)]

    # Every attempt alike, the lockout included: nothing tells which users exist.
    assert unknown == known
    assert "locked" in known[-1][1]["error_description"].lower()
    assert known[0][0] == 400


def test_a_non_ascii_password_is_a_wrong_password(sandbox: RunningSandbox) -> None:
    status, body = _sign_in(sandbox, DEMO.username, "pässwörd")
    assert status == 400
    assert body["error"] == "invalid_grant"
