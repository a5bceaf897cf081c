"""One signed-in session: the client, the profile it came from, and who signed in; and
``connect``, which makes a profile's client.

A read-only session's client refuses every change itself (``ReadOnlyError``); screens also hide
the keys for changes (``SectionScreen.MUTATING_ACTIONS``).

The session also runs the pass over the open invoices (``domain.open_book``: Home's aging and
Customers' balances), one at a time: whoever asks while one is on its way waits for that one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import SecretStr

    from enkash_tui.api.client import EnkashClient
    from enkash_tui.config import Profile
    from enkash_tui.domain.followups import Entry
    from enkash_tui.domain.open_book import OpenBook
    from enkash_tui.domain.promise_check import BookCheck
    from enkash_tui.local.customer_cache import CustomerCache
    from enkash_tui.local.worklog import Worklog


FollowUpFigures = tuple["list[Entry]", "BookCheck"]  # the book's open entries, Home's tiles
Progress = Callable[[int, "int | None"], None]  # (invoices walked, of how many)


class BookPass:
    """A pass over the open invoices on its way: one task, however many wait for it (each told
    how far it has got). Waiting can be given up (a screen's worker ends) without stopping it."""

    def __init__(self, ends: tuple[int, ...]) -> None:
        self.ends = ends
        self.done = 0
        self.total: int | None = None
        self.task: asyncio.Future[OpenBook] | None = None
        self._watchers: list[Progress] = []

    def progress(self, done: int, total: int | None) -> None:
        self.done, self.total = done, total
        for watch in list(self._watchers):
            with contextlib.suppress(Exception):  # a screen's progress bar never fails the pass
                watch(done, total)

    async def join(self, progress: Progress | None = None) -> OpenBook:
        assert self.task is not None
        if progress is not None:
            progress(self.done, self.total)
            self._watchers.append(progress)
        try:
            return await asyncio.shield(self.task)
        finally:
            if progress is not None:
                self._watchers.remove(progress)


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
    # The last pass over the open invoices (``open_book()``), and the one on its way, if any.
    last_book: OpenBook | None = field(default=None, repr=False)
    book_pass: BookPass | None = field(default=None, repr=False)
    _book_read: bool = field(default=False, repr=False)

    def _server(self) -> str:
        """The server as local files name it: the local sandbox gets a new port every run, so
        one name for it, not one per port."""
        return "sandbox" if self.profile.kind == "sandbox" else self.client.base_url

    def customers(self) -> CustomerCache:
        """The session's customer cache, loaded from disk on first use, with the balances of
        the last pass over the open invoices."""
        if self.customer_cache is None:
            # Imported here: the cache pulls in every model, and the sign-in screen must not wait.
            from enkash_tui.local.customer_cache import CustomerCache, cache_path

            self.customer_cache = CustomerCache.load(cache_path(self.profile.name, self._server()))
            book = self.open_book()
            if book is not None:
                self.customer_cache.use_balances(book)
        return self.customer_cache

    # -- the open book -----------------------------------------------------------------------

    def book_file(self) -> Path:
        from enkash_tui.local.open_book_cache import open_book_path

        # Whose book it is, not only where: another client, company, seller or user under the
        # same profile and server has other invoices, and its figures must not pass as fresh.
        p = self.profile
        whose = "|".join(x or "" for x in (p.client_id, p.company_id, p.seller_id, self.username))
        return open_book_path(self.profile.name, f"{self._server()}|{whose}")

    def open_book(self) -> OpenBook | None:
        """The last pass over the open invoices: this session's, else the copy on disk (read
        the first time it is asked for); None before the first. Its age says if it is fresh."""
        if not self._book_read:
            from enkash_tui.local.open_book_cache import load_open_book

            self._book_read = True
            self.last_book = load_open_book(self.book_file())
        return self.last_book

    async def total_open_book(
        self, ends: Sequence[int], progress: Progress | None = None
    ) -> OpenBook:
        """A new pass over the open invoices, aged into ``ends``: the one on its way if there
        is one (after it, another, if it had other bucket ends), else one started now. It
        outlives whoever asked, until it ends or the session closes; once it ends it is the
        session's ``open_book()`` (kept on disk too) and the customer cache's balances."""
        wanted = tuple(ends)
        while True:
            shared = self.book_pass
            if shared is None:
                # Started from the asker's context: its calls are the asker's (Esc stops them).
                shared = self.book_pass = BookPass(wanted)
                shared.task = asyncio.ensure_future(self._walk(shared))
            book = await shared.join(progress)
            if shared.ends == wanted:
                return book

    async def _walk(self, shared: BookPass) -> OpenBook:
        from enkash_tui import clock
        from enkash_tui.domain.open_book import walk_open_book
        from enkash_tui.local.open_book_cache import save_open_book

        try:
            book = await walk_open_book(self.client, clock.today(), shared.ends, shared.progress)
        finally:
            if self.book_pass is shared:
                self.book_pass = None
        self.last_book, self._book_read = book, True
        if self.customer_cache is not None:
            self.customer_cache.use_balances(book)
        # The copy on disk only spares the next sign-in a pass: a failure to write it is no
        # failure of the pass.
        with contextlib.suppress(OSError):
            await asyncio.to_thread(save_open_book, book, self.book_file())
        return book

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
        if self.book_pass is not None and self.book_pass.task is not None:
            self.book_pass.task.cancel()
        self.client.logout()
        await self.client.aclose()

    def _worklog_path(self) -> Path:
        from enkash_tui.local.worklog import worklog_path

        return worklog_path(self.profile.name, self._server(), self.profile.worklog_db)

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
