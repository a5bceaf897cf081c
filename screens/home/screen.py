"""Home: what needs doing today. Worklist tiles (count and rupee total each; Enter opens them),
the follow-up book's tiles (promises due today, broken promises, follow-ups due, open disputes),
the aging of every open invoice as a bar chart, and the customers who owe the most overdue.

Tiles are one-row searches, refreshed every minute. The follow-up tiles are the book's open
entries and a few searches (``domain.promise_check``), in a worker of their own; every promise not
yet seen paid is checked after they are painted. Aging pages through every open invoice (the
session's pass over the open book, which totals Customers' balances too), so the last is kept on
disk with its age shown and used as it is while fresh, across sign-ins; an older one (or ``r``)
is computed again in the background with a progress bar, once the tiles have their answers (its
pages would hold them up).
"""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

from rich.bar import Bar
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import ProgressBar, Static

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.api.errors import CallStoppedError
from enkash_tui.domain.aging import Aging
from enkash_tui.domain.followups import Entry
from enkash_tui.domain.formatting import age_words, inr
from enkash_tui.domain.home import FOLLOW_UP_TILES, Tile, home_tiles
from enkash_tui.domain.open_book import OpenBook
from enkash_tui.domain.promise_check import check_book, needs_payment_check
from enkash_tui.local.worklog import WorklogError
from screens.base import SectionScreen
from screens.customer_card import CustomerCard
from screens.heap import settle_soon
from screens.home.debtors import DebtorList
from screens.home.followup_list import (
    FollowUpListScreen,
    FollowUpTileView,
)
from screens.home.tile_face import TileFace
from screens.sections import InvoiceSearch, NetworkQueue, Section

TILES_EVERY = 60  # seconds between tile refreshes
TILES_FIRST = 3.0  # seconds the aging waits for the tiles to be answered before its pages
# Seconds the worklist tiles wait for the follow-up tiles: a few small searches, answered at once
# when not queued behind the worklist's sums of the whole book on the server.
FOLLOW_UPS_FIRST = 1.0
COLUMNS = 3  # tiles per row
FOLLOW_UP_COLUMNS = 4  # the follow-up tiles: one row, so the aging stays near the top


class TileView(TileFace):
    """One worklist tile; Enter (or a click) opens it."""

    def __init__(self, tile: Tile) -> None:
        super().__init__(id=f"tile-{tile.key}", classes="tile", markup=False)
        self.tile = tile
        self.label, self.alarm = tile.label, tile.alarm
        self.found: int | None = None
        self.balance: Decimal | None = None
        self.stopped = False  # its search was stopped by Esc

    def figures(self) -> tuple[int, Decimal | None] | None:
        return None if self.found is None else (self.found, self.balance)


def aging_chart(aging: Aging) -> RenderableType:
    """Buckets as bars scaled to the largest (as wide as there is room), with counts and
    totals."""
    if aging.computed_at is None:
        return Text("Aging not computed yet.", style="dim")
    largest = float(max((b.balance for b in aging.buckets), default=Decimal(0)) or 1)
    table = Table(box=None, padding=(0, 1), show_header=False, expand=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1, min_width=4)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for position, bucket in enumerate(aging.buckets):
        color = "green" if position == 0 else ("yellow" if position == 1 else "red")
        bar = Bar(largest, 0, float(bucket.balance), color=color, bgcolor="grey23")
        table.add_row(bucket.label, bar, str(bucket.count), inr(bucket.balance))
    table.add_row(Text("Total", style="bold"), "", Text(str(aging.count), style="bold"),
                  Text(inr(aging.total), style="bold"))  # fmt: skip
    return table


class HomeScreen(SectionScreen):
    # The first tile, as on_mount focuses it: Textual's default would focus the scrolling body
    # first, restyling all of Home, and again as the tile takes the focus (every sign-in).
    AUTO_FOCUS = "TileView"
    DEFAULT_CSS = """
    HomeScreen #followups { height: auto; padding: 0 1; }
    HomeScreen #followup-tiles { grid-size: 4; grid-rows: 5; grid-gutter: 0 1; height: auto; }
    """
    BINDINGS = [
        Binding("enter", "open_tile", "Open", id="home.open"),
        Binding("r", "refresh", "Refresh", id="home.refresh"),
        Binding("l", "app.action_log", "Action log", id="home.log"),
        Binding("left", "move(-1)", "Left", show=False, id="home.left"),
        Binding("right", "move(1)", "Right", show=False, id="home.right"),
        Binding("up", f"move(-{COLUMNS})", "Up", show=False, id="home.up"),
        Binding("down", f"move({COLUMNS})", "Down", show=False, id="home.down"),
    ]

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.aging: Aging | None = None
        self.computing = False

    def compose_body(self) -> ComposeResult:
        ends = self.enkash.settings.aging_buckets
        with VerticalScroll(id="home"):
            with Grid(id="tiles"):
                for tile in home_tiles(clock.today(), ends):
                    yield TileView(tile)
            with Vertical(id="followups"):
                yield Static("Follow-ups", classes="group", markup=False)
                with Grid(id="followup-tiles"):
                    for followup in FOLLOW_UP_TILES:
                        yield FollowUpTileView(followup)
            with Horizontal(id="home-lower"):
                with Vertical(id="aging-box"):
                    yield Static("Aging of open invoices", classes="group", markup=False)
                    yield Static(id="aging-age", markup=False)
                    yield ProgressBar(id="aging-progress", show_eta=False)
                    yield Static(id="aging-chart")
                with Vertical(id="debtors-box"):
                    yield Static("Most overdue customers", classes="group", markup=False)
                    yield DebtorList(id="debtors")

    @property
    def tiles(self) -> list[TileView]:
        """The worklist tiles (each an invoice search)."""
        return list(self.query(TileView))

    @property
    def followup_tiles(self) -> list[FollowUpTileView]:
        return list(self.query(FollowUpTileView))

    def _tile_rows(self) -> list[list[TileView | FollowUpTileView]]:
        """Every tile as drawn: the worklist's rows, then the follow-ups' row."""
        rows: list[list[TileView | FollowUpTileView]] = []
        groups = ((self.tiles, COLUMNS), (self.followup_tiles, FOLLOW_UP_COLUMNS))
        for group, width in groups:
            rows += [list(group[n : n + width]) for n in range(0, len(group), width)]
        return rows

    def on_mount(self) -> None:
        tiles = self.tiles
        if getattr(self.app, "_exit", False) or not tiles:
            return  # quit as Home was being drawn: its parts are already going
        tiles[0].focus()
        self.query_one("#aging-progress").display = False
        session = self.enkash.session
        if session is None:
            return
        # The last aging (this session's, or the one on disk from an earlier sign-in).
        self._take(session.open_book())
        # The follow-ups first (the worklist tiles wait for them), then the aging's pages: only
        # when the last is too old, or one is on its way (to show how far it has got).
        self.refresh_followups()
        self.refresh_tiles()
        if session.book_pass is not None or not self._aging_fresh():
            self.refresh_aging()
        self.set_interval(TILES_EVERY, self.refresh_tiles)
        self.set_interval(TILES_EVERY, self.refresh_followups)
        self.set_interval(30, self._tick)

    # -- tiles -------------------------------------------------------------------------------

    @work(exclusive=True, group="home-tiles", exit_on_error=False)
    async def refresh_tiles(self) -> None:
        session = self.enkash.session
        if session is None:
            return
        await self._tiles_painted(("home-followups",), FOLLOW_UPS_FIRST)
        views = self.tiles
        results = await asyncio.gather(
            *(session.client.search_invoices(view.tile.filters, limit=1) for view in views),
            return_exceptions=True,
        )
        for view, result in zip(views, results, strict=True):
            view.stopped = isinstance(result, CallStoppedError)
            if isinstance(result, EnkashError):
                view.problem = str(result)
            elif isinstance(result, BaseException):
                raise result
            else:
                view.problem = ""
                view.found, view.balance = result.total, result.total_balance
            view.show()

    @work(exclusive=True, group="home-followups", exit_on_error=False)
    async def refresh_followups(self) -> None:
        """The follow-up tiles from the book's open entries and a few searches."""
        session = self.enkash.session
        if session is None:
            return
        views = self.followup_tiles
        # The first, asked for as sign-in ended; then afresh.
        first, self.enkash.first_followups = self.enkash.first_followups, None
        try:
            entries, tiles = await (first or session.followup_figures())
        except (EnkashError, WorklogError) as error:
            for view in views:
                view.problem = str(error)
                view.show()
            return
        for view in views:
            view.problem = ""
            view.figure = tiles.figures[view.tile.key]
            view.show()
        # Once they are drawn: its pages would hold up the drawing.
        self.call_after_refresh(self.check_promises, entries, tiles.seen_paid)

    # Named: Textual would otherwise describe the worker by the repr of every entry.
    @work(exclusive=True, group="home-promises", exit_on_error=False, description="promises")
    async def check_promises(self, entries: list[Entry], seen_paid: tuple[Entry, ...]) -> None:
        """After the tiles: every promise not yet seen paid, so that a payment is seen (and
        recorded as paid today) the day it shows in EnKash: one paid by its date is kept."""
        session = self.enkash.session
        if session is None:
            return
        today = clock.today()
        try:
            check = await check_book(session.client, entries, today, needs_payment_check)
            seen = {e.id: e for e in (*seen_paid, *check.seen_paid)}
            if seen:
                book = session.worklog()
                await asyncio.to_thread(book.settle_promises, seen.values(), today)
        except (EnkashError, WorklogError) as error:
            self.notify(f"Promises not checked: {error}", severity="warning", markup=False)
            return
        if seen:  # closed as kept or paid late: off the tiles
            self.refresh_followups()

    def action_move(self, step: int) -> None:
        """Left and right go through every tile in turn; up and down to the row above or below,
        the same column where it has one (from the top row up is the first tile, from the
        bottom row down the last)."""
        rows = self._tile_rows()
        places = [(r, c) for r, row in enumerate(rows) for c in range(len(row))]
        here = next((n for n, (r, c) in enumerate(places) if rows[r][c].has_focus), 0)
        if abs(step) == 1:
            row, column = places[max(0, min(len(places) - 1, here + step))]
        else:
            row, column = places[here]
            row += 1 if step > 0 else -1
            if not 0 <= row < len(rows):
                row, column = places[0 if row < 0 else -1]
            column = min(column, len(rows[row]) - 1)
        rows[row][column].focus()

    async def action_open_tile(self) -> None:
        followup = next((v for v in self.followup_tiles if v.has_focus), None)
        if followup is not None:
            if followup.figure is not None:
                self.app.push_screen(FollowUpListScreen(followup.figure))
            return
        view = next((v for v in self.tiles if v.has_focus), None)
        if view is None:
            return
        tile = view.tile
        if tile.section == "invoices" and tile.query is not None:
            await self.enkash.open_section(InvoiceSearch(tile.query))
        elif tile.bc_queue is not None:
            await self.enkash.open_section(NetworkQueue(tile.bc_queue))
        else:
            await self.app.run_action(f"section('{tile.section}')")

    # -- aging -------------------------------------------------------------------------------

    def _take(self, book: OpenBook | None) -> None:
        """Show ``book``'s aging (an empty one for none, or for other bucket ends)."""
        ends = self.enkash.settings.aging_buckets
        self.aging = book.aging_for(ends) if book is not None else Aging.empty(ends)
        self._show_aging()

    def _aging_fresh(self) -> bool:
        """Shown as it is, not computed again (``Aging.fresh``; on any sign-in too)."""
        return self.aging is not None and self.aging.fresh(clock.today())

    def _tick(self) -> None:
        session = self.enkash.session
        book = session.open_book() if session is not None else None
        shown = self.aging.computed_at if self.aging else None
        if book is not None and book.computed_at != shown:
            self._take(book)  # a pass made meanwhile (Customers' r)
        if not self._aging_fresh() and not self.computing:
            self.refresh_aging()
        self._show_aging()

    @work(exclusive=True, group="home-aging", exit_on_error=False)
    async def refresh_aging(self) -> None:
        session = self.enkash.session
        if session is None:
            return
        bar = self.query_one("#aging-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.computing = True
        self._show_aging()
        if session.book_pass is None:  # one on its way (Customers') is joined at once
            await self._tiles_painted(("home-tiles", "home-followups"), TILES_FIRST)
        if session.book_pass is None and any(view.stopped for view in self.tiles):
            # Esc stopped the tiles' searches: the aging's pages must not start now (r does).
            self.computing = False
            bar.display = False
            self.query_one("#aging-age", Static).update(Text("Not computed: stopped", "red"))
            return

        def progress(done: int, total: int | None) -> None:
            bar.update(total=total, progress=done)

        try:
            # The session's pass, shared with Customers (it totals their balances too).
            book = await session.total_open_book(self.enkash.settings.aging_buckets, progress)
        except EnkashError as error:
            self.query_one("#aging-age", Static).update(Text(f"Not computed: {error}", "red"))
            return
        finally:
            self.computing = False
            bar.display = False
        self._take(book)
        settle_soon(self.app)  # its thousand-invoice pages freed: give the memory back

    async def _tiles_painted(self, groups: tuple[str, ...], limit: float) -> None:
        """Wait (at most ``limit`` s) for the workers of ``groups`` to be done: searches sent
        after theirs would hold them up, on the server and here."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and any(
            w.node is self and w.group in groups and not w.is_finished for w in self.workers
        ):
            await asyncio.sleep(0.02)

    def _show_aging(self) -> None:
        aging = self.aging
        if aging is None:
            return
        line = Text(age_words(aging.age(), "computed", "not computed yet"), style="dim")
        if self.computing:
            line.append(" · computing…", style="dim")
        self.query_one("#aging-age", Static).update(line)
        self.query_one("#aging-chart", Static).update(aging_chart(aging))
        self.query_one("#debtors", DebtorList).show(aging)

    def on_debtor_list_picked(self, event: DebtorList.Picked) -> None:
        debtor = event.debtor
        self.app.push_screen(CustomerCard(debtor.customer_id, debtor.name))

    def action_refresh(self) -> None:
        self.refresh_tiles()
        self.refresh_followups()
        self.refresh_aging()
