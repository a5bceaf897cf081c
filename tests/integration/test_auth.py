"""Signing in: the three token shapes, bad credentials, lockout, expiry and renewal on 401."""

from __future__ import annotations

import asyncio

import pytest

from enkash_tui.api import AuthError, ErrorType
from enkash_tui.sandbox.seed import book as seed
from enkash_tui.sandbox.server import DEMO

SEARCH = "/api/v0/invoice/search"


class FrozenClock:
    """A monotonic clock that never advances: the client never sees its token age."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("shape", ["snake", "camel", "envelope"])
async def test_every_token_shape_signs_in(start_sandbox, make_client, shape: str) -> None:
    sandbox = start_sandbox(token_shape=shape, invoices=10, customers=3)
    client = await make_client(sandbox.url, login=False)

    token = await client.login(DEMO.username, DEMO.password)

    assert token.access_token.get_secret_value()
    assert token.token_type.lower() == "bearer"
    assert token.expires_in == 86399
    assert client.signed_in and client.username == DEMO.username
    remaining = client.token_expires_in()
    assert remaining is not None and 86000 < remaining <= 86399
    page = await client.search_invoices(limit=5)
    assert len(page.items) == 5


async def test_wrong_password(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(invoices=10, customers=3)
    client = await make_client(sandbox.url, login=False)

    with pytest.raises(AuthError) as refused:
        await client.login(DEMO.username, "not-the-password")

    assert "2 attempts left" in refused.value.message
    assert refused.value.error_type == ErrorType.UNAUTHORIZED
    assert not client.signed_in

    with pytest.raises(AuthError) as again:
        await client.login(DEMO.username, "still-wrong")
    assert "1 attempt left" in again.value.message

    # The right password still works, and resets the count.
    await client.login(DEMO.username, DEMO.password)
    assert client.signed_in
    with pytest.raises(AuthError) as after_reset:
        await client.login(DEMO.username, "wrong-again")
    assert "2 attempts left" in after_reset.value.message


async def test_three_wrong_passwords_lock_the_account(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(lockout_seconds=1, invoices=10, customers=3)
    client = await make_client(sandbox.url, login=False)

    messages = []
    for _ in range(3):
        with pytest.raises(AuthError) as refused:
            await client.login(DEMO.username, "wrong")
        messages.append(refused.value.message)
    assert "locked" in messages[-1].lower()
    assert "locked" not in messages[0].lower()

    with pytest.raises(AuthError) as locked:
        await client.login(DEMO.username, DEMO.password)
    assert "locked" in locked.value.message.lower()
    assert not client.signed_in

    await asyncio.sleep(1.1)  # lockout_seconds=1
    await client.login(DEMO.username, DEMO.password)
    assert client.signed_in
    assert (await client.search_invoices(limit=1)).items


async def test_lockout_is_per_user(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(invoices=10, customers=3)
    demo = await make_client(sandbox.url, login=False)
    for _ in range(3):
        with pytest.raises(AuthError):
            await demo.login(DEMO.username, "wrong")

    other = await make_client(
        sandbox.url,
        client_id=seed.OTHER_COMPANY_ID,
        client_secret=seed.OTHER_CLIENT_SECRET,
        username=seed.OTHER_USERNAME,
        password=seed.OTHER_PASSWORD,
    )
    assert (await other.search_invoices(limit=1)).items


async def test_wrong_client_secret(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(invoices=10, customers=3)
    client = await make_client(sandbox.url, client_secret="not-the-secret", login=False)

    with pytest.raises(AuthError) as refused:
        await client.login(DEMO.username, DEMO.password)

    assert refused.value.status_code == 401
    assert "client" in refused.value.message.lower()
    assert not client.signed_in


async def test_unknown_user_reads_as_a_wrong_password(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(invoices=10, customers=3)
    client = await make_client(sandbox.url, login=False)

    with pytest.raises(AuthError) as unknown:
        await client.login("nobody@example.com", DEMO.password)
    with pytest.raises(AuthError) as wrong:
        await client.login(DEMO.username, "not-the-password")

    # The same words: the answer does not tell which users exist.
    assert unknown.value.message == wrong.value.message == "Bad credentials (2 attempts left)"
    assert unknown.value.status_code == wrong.value.status_code
    assert not client.signed_in


async def test_user_of_another_client_is_refused(start_sandbox, make_client) -> None:
    sandbox = start_sandbox(invoices=10, customers=3)
    client = await make_client(sandbox.url, login=False)
    with pytest.raises(AuthError):
        await client.login(seed.OTHER_USERNAME, seed.OTHER_PASSWORD)


async def test_expired_token_is_renewed_before_the_call(start_sandbox, make_client, wire) -> None:
    sandbox = start_sandbox(token_ttl=1, invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire)
    assert (await client.search_invoices(limit=1)).items

    await asyncio.sleep(1.2)  # the server-side token is now expired
    page = await client.search_invoices(limit=2)

    assert len(page.items) == 2
    assert all(status != 401 for _, status in wire.summary())
    # The client signed in again before the call instead of sending a dead token.
    assert wire.summary()[-2:] == [("token", 200), (SEARCH, 200)]


async def test_server_401_signs_in_again_once(start_sandbox, make_client, wire) -> None:
    """The client thinks its token is fresh (its clock never advances), the server does not."""
    sandbox = start_sandbox(invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire, clock=FrozenClock())
    assert (await client.search_invoices(limit=1)).items
    assert wire.summary() == [("token", 200), (SEARCH, 200)]

    sandbox.restart()  # the server forgets every token it issued
    page = await client.search_invoices(limit=3)

    assert len(page.items) == 3
    assert wire.summary()[2:] == [(SEARCH, 401), ("token", 200), (SEARCH, 200)]
    assert client.signed_in


async def test_renewal_refused_signs_out(start_sandbox, make_client, wire) -> None:
    """A renewal that fails (account locked meanwhile) signs the client out: it does not keep
    retrying the remembered password, which would lock the account again."""
    sandbox = start_sandbox(token_ttl=1, lockout_seconds=60, invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire)
    intruder = await make_client(sandbox.url, login=False)
    for _ in range(3):
        with pytest.raises(AuthError):
            await intruder.login(DEMO.username, "wrong")

    await asyncio.sleep(1.1)
    with pytest.raises(AuthError) as refused:
        await client.search_invoices(limit=1)

    assert "locked" in refused.value.message.lower()
    assert not client.signed_in
    sent = len(wire.log)
    with pytest.raises(AuthError):
        await client.search_invoices(limit=1)
    assert len(wire.log) == sent  # signed out: nothing more was sent


async def test_concurrent_401s_share_one_sign_in(start_sandbox, make_client, wire) -> None:
    sandbox = start_sandbox(invoices=10, customers=3)
    client = await make_client(sandbox.url, transport=wire, clock=FrozenClock())
    sandbox.restart()  # every call below is sent with a token the server no longer knows
    sent_before = len(wire.log)

    pages = await asyncio.gather(*(client.search_invoices(limit=n) for n in range(1, 6)))

    assert [len(p.items) for p in pages] == [1, 2, 3, 4, 5]
    after = wire.summary()[sent_before:]
    assert after.count(("token", 200)) == 1
    assert after.count((SEARCH, 401)) == 5
    assert after.count((SEARCH, 200)) == 5
