"""The sandbox's token store: expired tokens are dropped, not kept for ever, and one user's
sign-ins cannot grow it without end. The issuer's clock is a test's own, so expiry needs no
waiting."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from enkash_tui.sandbox import db
from enkash_tui.sandbox.seed import book as seed
from enkash_tui.sandbox.seed.customers import Company
from enkash_tui.sandbox.tokens import MAX_SESSIONS_PER_USER, TokenIssuer

TTL = 60


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = db.connect(tmp_path / "sandbox.db")
    seed.seed(connection, invoices=0, customers=0)
    yield connection
    connection.close()


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _sign_in(issuer: TokenIssuer, who: Company = seed.DEMO) -> str:
    body = issuer.issue(
        _basic(who.company_id, who.secret),
        {
            "grant_type": "password",
            "username": who.username,
            "password": who.password,
            "clientId": who.company_id,
        },
    )
    return str(body["access_token"])


def test_expired_tokens_leave_the_store(conn: sqlite3.Connection) -> None:
    clock = Clock()
    issuer = TokenIssuer(conn, ttl=TTL, lockout_seconds=300, shape="snake", clock=clock)
    old = [_sign_in(issuer) for _ in range(5)] + [_sign_in(issuer, seed.OTHER)]
    assert issuer.live_tokens == 6

    clock.now += TTL + 1  # every token above has expired; none is presented again
    fresh = _sign_in(issuer)

    assert issuer.live_tokens == 1
    assert issuer.session(f"Bearer {fresh}") is not None
    assert all(issuer.session(f"Bearer {token}") is None for token in old)


def test_a_token_still_live_stays(conn: sqlite3.Connection) -> None:
    clock = Clock()
    issuer = TokenIssuer(conn, ttl=TTL, lockout_seconds=300, shape="snake", clock=clock)
    first = _sign_in(issuer)

    clock.now += TTL - 1
    _sign_in(issuer)

    assert issuer.live_tokens == 2
    assert issuer.session(f"Bearer {first}") is not None


def test_one_user_holds_a_bounded_number_of_tokens(conn: sqlite3.Connection) -> None:
    issuer = TokenIssuer(conn, ttl=TTL, lockout_seconds=300, shape="snake", clock=Clock())
    other = _sign_in(issuer, seed.OTHER)
    tokens = [_sign_in(issuer) for _ in range(MAX_SESSIONS_PER_USER + 10)]

    assert issuer.live_tokens == MAX_SESSIONS_PER_USER + 1
    # The oldest went first; the newest and another user's are still good.
    assert issuer.session(f"Bearer {tokens[0]}") is None
    assert issuer.session(f"Bearer {tokens[-1]}") is not None
    assert issuer.session(f"Bearer {other}") is not None
