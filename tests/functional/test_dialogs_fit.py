"""At 80x24 every dialog fits. Each is opened the way a user opens it, by its keys, in a signed-in
app on the real sandbox, after whatever has to come first done for real (a dispute opened, every
invoice marked, a batch sent, a file checked); then its box lies wholly on the screen, its buttons
and the field with the cursor are wholly in view (nothing drawn over them, not scrolled or clipped
out of the box), nothing sticks out at its sides, no text is cut short within its own lines, and
a box that cannot scroll cuts nothing off.

Dialogs checked at 80x24 elsewhere are not repeated here: the follow-up window and its other
forms (test_followup), the invoice and customer forms (test_form_manners), the payment
confirmation and the reminder preview (their snapshots)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList
from textual.errors import NoWidget
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from enkash_tui import clock
from enkash_tui.local.locations import asset
from enkash_tui.sandbox_demo import DEMO_USERNAME
from screens.action_log import ActionLogScreen, EntryModal
from screens.batch_actions import BatchConfirm, BatchReport
from screens.bharat_connect.actions import StatusChange
from screens.bharat_connect.screen import BharatConnectScreen
from screens.bulk_upload import BulkUploadScreen
from screens.customer_card import CustomerCard
from screens.export import ExportScreen
from screens.followup.forms import CloseForm, DisputeForm
from screens.followup.window import FollowUpWindow
from screens.followup_import import FollowUpImportScreen
from screens.help import HelpScreen
from screens.home.followup_list import FollowUpListScreen, FollowUpTileView
from screens.home.screen import HomeScreen
from screens.invoices.filter import InvoiceFilterScreen
from screens.invoices.screen import InvoicesScreen
from screens.invoices.windows import InvoiceDetailScreen, SortPicker
from screens.modals import ConfirmModal, ErrorModal, ReloginModal
from screens.reminders.bulk import BulkRules
from screens.reminders.form import RuleForm
from tests.support.driving import (
    build_app,
    open_customers,
    open_invoices,
    open_reminders,
    sign_in,
    wait_until,
)
from tests.support.sandboxes import RunningSandbox

SIZE = (80, 24)
SCREEN = Region(0, 0, *SIZE)


# -- what fitting means ----------------------------------------------------------------------


def not_in_view(dialog: Screen[Any], widget: Widget) -> str:
    """Why ``widget`` is not wholly in view ("" when it is): every cell of it must be on the
    screen and show the widget itself (or a part of it), not something drawn over it (a docked
    bar, the footer) nor the edge of a box it was scrolled or clipped behind."""
    region = widget.region
    if not region:
        return "not drawn"
    if not SCREEN.contains_region(region):
        return f"off the screen at {region}"
    for y in range(region.y, region.bottom):
        for x in range(region.x, region.right):
            try:
                top, _ = dialog.get_widget_at(x, y)
            except NoWidget:
                return f"nothing drawn at ({x}, {y}) of {region}"
            if top is not widget and widget not in top.ancestors:
                return f"under {top!r} at ({x}, {y}) of {region}"
    return ""


def shown(widget: Widget) -> bool:
    return all(node.display for node in (widget, *widget.ancestors) if isinstance(node, Widget))


def text_lines(static: Static) -> int:
    """How many lines the widget's text takes at the width it has."""
    size = static.content_size
    return static.get_content_height(size, static.screen.size, size.width)


def fit_problems(dialog: Screen[Any]) -> list[str]:
    """What does not fit, in words: nothing when the dialog fits."""
    box = dialog.children[0]  # the dialog's frame (its footer, if any, comes after)
    needed: list[tuple[str, Widget]] = [("the box", box)]
    needed += [(f"button {b.label}", b) for b in box.query(Button) if shown(b)]
    if dialog.focused is not None and dialog.focused is not box:
        needed.append(("the field with the cursor", dialog.focused))
    problems = [f"{name}: {why}" for name, part in needed if (why := not_in_view(dialog, part))]
    inside = box.scrollable_content_region
    scrolls = box.allow_vertical_scroll  # else nothing past its edge can be brought into view
    for part in box.query("*"):
        if not shown(part) or not part.size.area:
            continue
        region = part.region
        if region.x < inside.x or region.right > inside.right:
            problems.append(f"{part!r} sticks out at the side: {region} of {inside}")
        elif not scrolls and (why := not_in_view(dialog, part)):
            problems.append(f"{part!r} is cut off, and the box does not scroll: {why}")
        elif isinstance(part, Static) and (lines := text_lines(part)) > part.content_size.height:
            problems.append(f"{part!r} shows {part.content_size.height} of its {lines} lines")
    return problems


# -- reaching each dialog --------------------------------------------------------------------


@dataclass
class Trip:
    """The app being driven, and the sandbox it runs on."""

    pilot: Pilot[Any]
    sandbox: RunningSandbox

    @property
    def app(self) -> Any:
        return self.pilot.app

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def until(self, condition: Callable[[], object], what: str) -> None:
        await wait_until(self.pilot, lambda: bool(condition()), what=what)


Reach = Callable[[Trip], Awaitable[Any]]


def keys(first: Callable[[Trip], Awaitable[Any]], *pressed: str) -> Reach:
    """``first``, then these keys."""

    async def reach(trip: Trip) -> None:
        await first(trip)
        await trip.press(*pressed)

    return reach


async def on_invoices(trip: Trip) -> InvoicesScreen:
    screen = await open_invoices(trip.pilot)
    assert isinstance(screen, InvoicesScreen)
    return screen


async def on_customers(trip: Trip) -> None:
    await open_customers(trip.pilot)
    await trip.press("down")  # from the lookup to the list


async def on_reminders(trip: Trip) -> None:
    await open_reminders(trip.pilot)  # the cursor in the customer list


async def on_queue_4(trip: Trip) -> None:
    """Bharat Connect, queue 4 (awaiting the buyer): its invoices have the most moves on offer."""
    await sign_in(trip.pilot)
    await trip.press("f6")
    screen = trip.app.screen
    assert isinstance(screen, BharatConnectScreen)
    await trip.press("4")
    await trip.until(lambda: screen.loaded_at is not None and screen.table.current, "queue 4")


def home_file(name: str, text: str) -> str:
    """A file in the test's own home folder, and its path as a user types it: ``~/name``."""
    Path.home().mkdir(parents=True, exist_ok=True)
    (Path.home() / name).write_text(text, encoding="utf-8")
    return f"~/{name}"


async def check_a_file(trip: Trip, key: str, path: str) -> None:
    """``key`` opens the dialog; the path typed and Enter: the file is checked."""
    await trip.press(key)
    await trip.press(*path, "enter")


async def invoices_file(trip: Trip) -> None:
    """``U`` and a good file of three invoices: checked, Upload offered."""
    invoice = (await on_invoices(trip)).table.current
    assert invoice is not None
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    rows = "".join(f"{invoice.customer_id},FIT-{n},{due},1000,90,90,true\n" for n in range(3))
    header = "customerId,invoiceNumber,dueDate,baseAmount,cgst,sgst,gstExclusive\n"
    await check_a_file(trip, "U", home_file("invoices.csv", header + rows))


async def follow_ups_file(trip: Trip) -> None:
    """``I`` and a good file of one note: checked and looked up on EnKash, Import offered."""
    invoice = (await on_invoices(trip)).table.current
    assert invoice is not None
    # Without a follow-up book yet, I does nothing (and says nothing): the book is made first.
    trip.app.session.worklog()
    header = asset("templates/follow-ups.csv").read_text(encoding="utf-8").splitlines()[0]
    row = f"note,,{invoice.invoice_id},,,,,Called the accounts desk,,,,open,,,,,\n"
    await check_a_file(trip, "I", home_file("follow-ups.csv", f"{header}\n{row}"))


async def follow_up_window(trip: Trip) -> FollowUpWindow:
    """On Invoices, ``w``: the cursor's invoice's follow-up window, its book read."""
    await on_invoices(trip)
    await trip.press("w")
    window = trip.app.screen
    assert isinstance(window, FollowUpWindow)
    await trip.until(lambda: window.entries is not None, "the follow-up book")
    return window


async def follow_up_due_today(trip: Trip) -> None:
    """``w``, ``f`` and today's date: a follow-up due today, shown in the window."""
    window = await follow_up_window(trip)
    await trip.press("f", *clock.today().isoformat(), "enter")
    await trip.until(lambda: window.standing().follow_up is not None, "the follow-up set")


async def followups_due_list(trip: Trip) -> None:
    """A follow-up due today, then Home's "Follow-ups due" tile, reached by the arrows: Enter."""
    await follow_up_due_today(trip)
    await trip.press("escape", "f2", "r")
    home = trip.app.screen
    assert isinstance(home, HomeScreen)
    tile = next(v for v in home.followup_tiles if v.tile.key == "follow-ups-due")
    await trip.until(lambda: tile.found == 1, "the follow-up counted on its tile")
    for _ in range(10):  # down to the follow-up tiles, then along them
        if tile.has_focus:
            break
        await trip.press("right" if isinstance(trip.app.focused, FollowUpTileView) else "down")
    await trip.press("enter")


async def all_marked(trip: Trip) -> None:
    """Every invoice (``7``) marked (``*``) and ``s``: more than the count from which the count
    is typed to confirm."""
    screen = await on_invoices(trip)
    await trip.press("7")
    await trip.until(lambda: screen.rows.total is not None, "every invoice")
    await trip.press("asterisk")
    await trip.until(lambda: len(screen.table.marks.rows()) == screen.rows.total, "all marked")
    await trip.press("s")


async def all_marked_one_disputed(trip: Trip) -> None:
    """A dispute opened on one invoice (``w``, ``d``, a reason), then every invoice marked and
    ``s``: the fullest confirmation there is (the first rows and how many more, the disputed one
    named, the action's warning, part payments, the count to type)."""
    window = await follow_up_window(trip)
    await trip.press("d")
    assert isinstance(trip.app.screen, DisputeForm)
    await trip.press("enter", "down", "enter")  # the first reason on the list
    await trip.press("tab", "enter")  # on to the details, and saved
    await trip.until(lambda: window.standing().dispute is not None, "the dispute opened")
    await trip.press("escape")
    await all_marked(trip)


async def two_sent(trip: Trip) -> None:
    """Two invoices marked and sent, the report closed: the action log has an entry."""
    await on_invoices(trip)
    await trip.press("space", "down", "space", "s")
    await trip.until(lambda: isinstance(trip.app.screen, BatchConfirm), "the confirmation")
    await trip.press("y")
    await trip.until(lambda: isinstance(trip.app.screen, BatchReport), "the report")
    await trip.press("escape")


async def retry_all(trip: Trip) -> None:
    """Every invoice marked and sent while EnKash cannot be reached (nothing sent, so safe to
    send again); EnKash back, the action log (Ctrl+L) and ``r`` on the failed dispatch: the
    confirmation names every invoice it will go to again."""
    await all_marked(trip)
    confirm = trip.app.screen
    assert isinstance(confirm, BatchConfirm)
    trip.sandbox.stop()
    await trip.press(*str(len(confirm.invoices)), "enter")
    await trip.until(lambda: trip.app.last_error is not None, "the dispatch failed")
    trip.sandbox.restart()
    await trip.press("ctrl+l", "r")


async def an_error(trip: Trip) -> None:
    """EnKash fails (every call a 5xx) as the list is refreshed (``r``); then Ctrl+P, "Show last
    error" and Enter."""
    await on_invoices(trip)
    trip.sandbox.faults.failure_rate = 1.0
    await trip.press("r")
    await trip.until(lambda: trip.app.last_error is not None, "the error")
    trip.sandbox.faults.failure_rate = 0.0
    await trip.press("ctrl+p", *"Show last error")
    await trip.until(lambda: trip.app.screen.query_one(CommandList).option_count, "the command")
    await trip.press("enter")


async def session_lost(trip: Trip) -> None:
    """EnKash forgets the token and the password is changed elsewhere: ``r`` cannot renew."""
    await on_invoices(trip)
    trip.sandbox.restart()
    trip.sandbox.conn.execute(
        "UPDATE users SET password = 'changed elsewhere' WHERE username = ?", (DEMO_USERNAME,)
    )
    await trip.press("r")


@dataclass(frozen=True)
class Case:
    dialog: type[Screen[Any]]
    reach: Reach
    also: str = ""  # what sets this case apart from the dialog's other one
    ready: Callable[[Any], object] = lambda dialog: True  # its content in, once shown
    own_sandbox: bool = False  # it changes what EnKash holds, or breaks it for a while
    # Dialogs reached from this one in the same session: the keys, the dialog, when it is ready.
    then: tuple[tuple[tuple[str, ...], type[Screen[Any]], Callable[[Any], object]], ...] = ()


def offers(button: str) -> Callable[[Any], object]:
    return lambda dialog: not dialog.query_one(button).has_class("hidden")


# Opened from the invoice list one after another, in one session (Esc back between them).
FROM_INVOICES: list[tuple[type[Screen[Any]], str, Callable[[Any], object]]] = [
    (InvoiceFilterScreen, "f", lambda dialog: True),
    (SortPicker, "o", lambda dialog: True),
    (InvoiceDetailScreen, "enter", lambda dialog: True),
    (ExportScreen, "E", lambda dialog: True),
    (CustomerCard, "c", lambda card: card.view is not None),
    (HelpScreen, "f1", lambda dialog: True),
]

CASES = [
    Case(BulkUploadScreen, invoices_file, ready=offers("#upload")),
    Case(FollowUpImportScreen, follow_ups_file, ready=offers("#import")),
    Case(CloseForm, keys(follow_up_due_today, "F")),
    Case(
        FollowUpListScreen,
        followups_due_list,
        ready=lambda listing: listing.rows and all(row.read for row in listing.rows),
    ),
    Case(
        BatchConfirm,
        all_marked,
        ready=lambda confirm: confirm.query("#typed-count"),
        own_sandbox=True,
        then=((("TYPED", "enter"), BatchReport, lambda report: True),),  # every invoice sent
    ),
    Case(
        BatchConfirm,
        all_marked_one_disputed,
        "disputed",
        ready=lambda confirm: confirm.query("#disputed") and confirm.query("#typed-count"),
    ),
    Case(
        ActionLogScreen,
        keys(two_sent, "ctrl+l"),
        own_sandbox=True,
        then=((("enter",), EntryModal, lambda entry: True),),
    ),
    Case(ConfirmModal, keys(on_customers, "d")),  # delete the customer?
    Case(ConfirmModal, retry_all, "retry", own_sandbox=True),
    Case(ErrorModal, an_error, own_sandbox=True),
    Case(ReloginModal, session_lost, own_sandbox=True),
    Case(
        RuleForm,
        keys(on_reminders, "n"),
        then=(
            (("escape", "space", "down", "space", "down", "space", "B"), BulkRules, lambda b: True),
        ),
    ),
    Case(StatusChange, keys(on_queue_4, "s")),
]


@pytest.mark.parametrize(
    "case", CASES, ids=["-".join(filter(None, (c.dialog.__name__, c.also))) for c in CASES]
)
async def test_the_dialog_fits_at_80x24(
    case: Case, sandbox: RunningSandbox, start_sandbox: Callable[..., RunningSandbox]
) -> None:
    running = start_sandbox() if case.own_sandbox else sandbox
    app = build_app(running.url)
    async with app.run_test(size=SIZE) as pilot:
        await case.reach(Trip(pilot, running))
        await fits_once_shown(pilot, case.dialog, case.ready)
        for pressed, dialog, ready in case.then:
            if "TYPED" in pressed:  # the count the confirmation asks to be typed
                count = str(len(pilot.app.screen.invoices))
                pressed = tuple(k for p in pressed for k in (count if p == "TYPED" else [p]))
            await pilot.press(*pressed)
            await fits_once_shown(pilot, dialog, ready)


async def test_the_invoice_list_s_dialogs_fit_at_80x24(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        section = await on_invoices(Trip(pilot, sandbox))
        for dialog, key, ready in FROM_INVOICES:
            await pilot.press(key)
            await fits_once_shown(pilot, dialog, ready)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is section, what="back on the list")


async def fits_once_shown(
    pilot: Pilot[Any], dialog: type[Screen[Any]], ready: Callable[[Any], object]
) -> None:
    """Once ``dialog`` is on top with its content in: it fits."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, dialog) and bool(ready(app.screen)),
        what=dialog.__name__,
    )
    app.clear_notifications()  # a toast in a corner is not the dialog's doing
    await pilot.pause()
    problems = fit_problems(app.screen)
    assert not problems, f"{dialog.__name__} at 80x24:\n" + "\n".join(problems)
