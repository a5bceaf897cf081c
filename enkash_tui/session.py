"""One signed-in session: the client, the profile it came from, and who signed in; and
``connect``, which makes a profile's client.

A read-only session's client refuses every change itself (``ReadOnlyError``); screens also hide
the keys for changes (``SectionScreen.MUTATING_ACTIONS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import SecretStr

    from enkash_tui.api.client import EnkashClient
    from enkash_tui.config import Profile
    from enkash_tui.domain.followups import Entry
    from enkash_tui.domain.promise_check import BookCheck
    from enkash_tui.local.customer_cache import CustomerCache
    from enkash_tui.local.worklog import Worklog


FollowUpFigures = tuple["list[Entry]", "BookCheck"]  # the book's open entries, Home's tiles


def connect(profile: Profile, client_secret: SecretStr, *, readonly: bool = False) -> EnkashClient:
    """A client for ``profile`` (not yet signed in), read-only when either says so."""
    # Imported here: the client pulls in httpx and every model, after the first paint.
    from enkash_tui.api.client import EnkashClient

    return EnkashClient(
        profile.base_url,
        profile.client_id,
        client_secret,
        timeout=profile.timeout_seconds,
        deadline=profile.deadline_seconds,
        encrypt_payloads=profile.encrypt_payloads,
        route_overrides=profile.routes,
        verify_tls=profile.verify_tls,
        company_id=profile.company_id,
        seller_id=profile.seller_id,
        parent_company_id=profile.parent_company_id,
        readonly=readonly or profile.readonly,
    )


@dataclass
class Session:
    client: EnkashClient
    profile: Profile
    username: str
    # The local customer lookup, shared by the sections that look customers up; loaded from
    # disk the first time one asks (``customers()``).
    customer_cache: CustomerCache | None = None
    follow_ups: Worklog | None = None  # the follow-up book, opened on first use (``worklog()``)

    def customers(self) -> CustomerCache:
        """The session's customer cache, loaded from disk on first use."""
        if self.customer_cache is None:
            # Imported here: the cache pulls in every model, and the sign-in screen must not wait.
            from enkash_tui.local.customer_cache import CustomerCache, cache_path

            # The local sandbox gets a new port every run: one cache for it, not one per port.
            server = "sandbox" if self.profile.kind == "sandbox" else self.client.base_url
            self.customer_cache = CustomerCache.load(cache_path(self.profile.name, server))
        return self.customer_cache

    @property
    def readonly(self) -> bool:
        return self.client.readonly

    @property
    def environment(self) -> str:
        return self.profile.kind

    @property
    def is_production(self) -> bool:
        return self.profile.kind == "production"

    async def close(self) -> None:
        self.client.logout()
        await self.client.aclose()

    def _worklog_path(self) -> Path:
        from enkash_tui.local.worklog import worklog_path

        server = "sandbox" if self.profile.kind == "sandbox" else self.client.base_url
        return worklog_path(self.profile.name, server, self.profile.worklog_db)

    def worklog(self) -> Worklog:
        """The profile's follow-up book (notes, promises, disputes), opened (made, the first
        time) on first use; ``WorklogError`` when it cannot be."""
        if self.follow_ups is None:
            from enkash_tui.local.worklog import Worklog

            shared = self.profile.worklog_db is not None
            self.follow_ups = Worklog(self._worklog_path(), self.username, private=not shared)
        return self.follow_ups

    def worklog_if_any(self) -> Worklog | None:
        """The book when there is one: lists and tiles that only read need not make it (nothing
        in it yet reads the same as no file)."""
        if self.follow_ups is None and not self._worklog_path().exists():
            return None
        return self.worklog()

    async def followup_figures(self) -> FollowUpFigures:
        """The book's open entries and Home's four follow-up tiles from them and a few searches
        (``tile_figures``); no book yet, every tile is nought. Asked as sign-in ends, so that
        EnKash works on them while Home is drawn."""
        from enkash_tui import clock
        from enkash_tui.domain.promise_check import tile_figures

        # Read here, not in a thread: the book (5,000 entries in 0.05 s) is read faster than a
        # thread would get its turn while Home is drawn.
        book = self.worklog_if_any()
        entries = book.open_followups() if book is not None else []
        return entries, await tile_figures(self.client, entries, clock.today())
