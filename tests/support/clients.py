"""A signed-in client of a test's own, to see what EnKash holds beside what the app shows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from enkash_tui.api import EnkashClient
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME


@asynccontextmanager
async def signed_in(url: str) -> AsyncIterator[EnkashClient]:
    """``async with signed_in(sandbox.url) as client:`` the demo user, straight to the sandbox."""
    async with EnkashClient(url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET) as client:
        await client.login(DEMO_USERNAME, DEMO_PASSWORD)
        yield client
