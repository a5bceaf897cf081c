"""The app through a real terminal: key press to the screen showing the change, on a 100,000-invoice
``enkash-tui --sandbox``, beside a bare Textual key-echo app measured in the same run.

    python -m benchmarks.terminal [--invoices 100000] [--customers 5000] [--runs 3] [--keys 20]

Each run starts ``python -m enkash_tui --sandbox`` in a fresh 120x40 pseudo-terminal (the size
the screenshots are made at: the lists show most columns and Customers its detail pane) with its
own state, config and cache folders, so it signs in with no aging and no customer cached, on a
fresh copy of a database seeded once. What the app writes goes into a terminal emulator (pyte,
``benchmarks/pty_screen.py``); keys are written as an xterm sends them; a clock starts as a key is
written and stops when the output that makes the emulated screen show the change has arrived (the
``*_shows`` functions below say what each figure waits for). Timed keys are ``PACE`` apart, a
brisk typist's pace, so what one key starts in the background may finish before the next.

One session a run, in this order (the later figures are about a warm app, and say so):

1. sign-in: Enter, once the sandbox answers HTTP and a second after the form painted, until
   Home shows its tiles and its aging panel;
2. F4, pressed while Home's aging pages through every open invoice (its progress bar counting),
   until Invoices shows its first rows; then back to Home until the aging is done;
4. End on All invoices searched afresh (``7``), until the counter reads "…-N of N" and the last
   rows are drawn (the pages at the end are fetched for it);
3. PgDn deep in All invoices: End, PgUp back up, ``r`` (the pages are forgotten, the cursor
   kept), then PgDn back down to the end, fetching as it goes; each until the counter moved and
   no row says "loading…";
5. ``/`` per key with about 5,000 rows loaded (PgDn from the top until they are), until the line
   above the list reports the filter typed so far, with its rows;
7. F3, the first Customers visit (nothing cached), until the list shows customers;
6. the lookup per key, every customer cached and the balances totalled, until the lookup shows
   what was typed, the summary the count ``CustomerCache.find`` gives, and the list only those;
8. F6 / F3 back and forth between Bharat Connect and Customers, each visited before;
10. resident memory at the end of the session (VmRSS, and VmHWM, the peak) of the app's process
    and, apart, of any process it started (the sandbox runs in a child process of its own);
9. (after 10, in the table before it) the sandbox's first page of Awaiting approval, Partly
   paid and Not dispatched, asked of the session's own sandbox over loopback and received
   whole, not read into models (no terminal: the server's figure).

The bare app's key-to-screen time is sampled a few keys at a time between the figures, in its
own pty at the same time, so under the same load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.pty_screen import PtyProgram, Ready, Sample, Screen
from enkash_tui.local.customer_cache import CustomerCache, CustomerEntry

COLUMNS, ROWS = 120, 40
PACE = 0.12  # seconds between timed keys
PER_RUN = 20  # samples of each per-key figure in a run (--keys)
ECHO_KEYS = 4  # keys to the bare app after each figure
RSS_BUDGET_MB = 150

ECHO_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Echo(App):\n"
    "    n = 0\n"
    "    def compose(self):\n"
    "        yield Static('press a key', id='k')\n"
    "    def on_key(self, event):\n"
    "        self.n += 1\n"
    "        self.query_one('#k', Static).update(f'key {self.n}: {event.key}')\n"
    "Echo().run()\n"
)

# Typed into `/` over the loaded invoices: words of the sandbox's customer names.
FILTER_WORDS = ("steel", "pumps", "textiles", "agro")


# -- the figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    title: str
    budget_ms: float | None  # None: shown for context only
    judged_on: str = "median"  # or "p95"
    per_key: bool = False  # many samples a run (else one)


# In the order of the table (a session takes them in another: see above).
FIGURES = {
    "sign_in": Figure("1. sign-in: Enter → Home painted", 500),
    "home_tiles": Figure("   (Enter → Home's nine worklist tiles counted)", None),
    "f4_cold": Figure("2. F4 → first invoice rows, while Home's aging computes", 500),
    "aging": Figure("   (Enter → Home's aging computed)", None),
    "page_down": Figure("3. PgDn deep in All invoices (its last rows), per key", 50, "p95", True),
    "end": Figure("4. End → last row of All invoices, just searched", 50, "median", True),
    "filter": Figure("5. `/` per key over the loaded rows", 50, "median", True),
    "lookup": Figure("6. Customers lookup per key, all cached (warm)", 30, "p95", True),
    "customers_first": Figure("7. first Customers visit: F3 → customers listed", 1000),
    "customers_drawn": Figure("   (F3 → Customers drawn, its list still empty)", None),
    "to_bc": Figure("8. Customers → Bharat Connect (F6), warm", 300, "p95", True),
    "to_customers": Figure("8. Bharat Connect → Customers (F3), warm", 300, "p95", True),
    "bc_first": Figure("   (first Bharat Connect visit: F6 → its queue listed)", None),
    "preset_approval": Figure("9. sandbox: Awaiting approval, first page", 25, "median", True),
    "preset_partly": Figure("9. sandbox: Partly paid, first page", 25, "median", True),
    "preset_unsent": Figure("9. sandbox: Not dispatched, first page", 25, "median", True),
    "echo": Figure("baseline: bare Textual app, key → screen", None, "median", True),
}
# Figure 10's presets (domain.invoices.PRESETS keys), asked as the Invoices screen asks.
PRESET_FIGURES = {"6": "preset_approval", "5": "preset_partly", "4": "preset_unsent"}


@dataclass
class Results:
    ms: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in FIGURES})
    parsing_ms: list[float] = field(default_factory=list)  # pyte's, per sample (not counted)
    rss: list[tuple[float, float]] = field(default_factory=list)  # the app: (end, peak) MB
    rss_at_form: list[float] = field(default_factory=list)  # the app at the sign-in form
    children: list[tuple[str, float, float]] = field(default_factory=list)  # (name, end, peak)
    loaded_for_filter: list[int] = field(default_factory=list)

    def add(self, figure: str, sample: Sample) -> None:
        self.ms[figure].append(sample.seconds * 1000)
        self.parsing_ms.append(sample.parsing * 1000)


# -- what the screen shows ---------------------------------------------------------------------

_INVOICE_COUNTER = re.compile(r" rows ([\d,]+)-([\d,]+) of ([\d,]+)")
_CUSTOMER_COUNT = re.compile(r"^ +([\d,]+)(?: of ([\d,]+))? customers\b")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def section(screen: Screen) -> str:
    """The section the header names (" EnKash AR │ Invoices │ Sandbox …")."""
    parts = screen.lines[0].split("│")
    return parts[1].strip() if len(parts) > 1 else ""


def invoice_counter(screen: Screen) -> tuple[int, int, int] | None:
    """The line above the invoice list: (first row shown, last row shown, rows in the result)."""
    found = _INVOICE_COUNTER.search(screen.line_with(" rows ") or "")
    return (number(found[1]), number(found[2]), number(found[3])) if found else None


def invoices_show(test: Callable[[int, int, int], bool]) -> Ready:
    """Invoices, its counter passing ``test(first, last, total)``, every row on screen drawn."""

    def ready(screen: Screen) -> bool:
        counter = invoice_counter(screen)
        return (
            section(screen) == "Invoices"
            and counter is not None
            and test(*counter)
            and not screen.has("loading…")
            and screen.has("INV/")
        )

    return ready


FIRST_ROWS = invoices_show(lambda first, last, total: first == 1)
LAST_ROW = invoices_show(lambda first, last, total: last == total)


def filter_counts(screen: Screen, typed: str) -> tuple[int, int] | None:
    """What the line above the list says of ``/typed``: (rows found, rows loaded)."""
    found = re.search(rf" · /{re.escape(typed)}: ([\d,]+) of ([\d,]+) loaded", str(screen))
    return (number(found[1]), number(found[2])) if found else None


def filter_shows(typed: str) -> Ready:
    def ready(screen: Screen) -> bool:
        counts = filter_counts(screen, typed)
        return counts is not None and (counts[0] == 0 or screen.has("INV/"))

    return ready


def home_shows(screen: Screen) -> bool:
    return (
        section(screen) == "Home"
        and screen.has("Overdue 1-30 days")
        and screen.has("Aging of open invoices")
    )


def tiles_counted(screen: Screen) -> bool:
    counted = sum(len(re.findall(r"│ [\d,]+ invoices? ", line)) for line in screen.lines)
    return section(screen) == "Home" and counted >= 9


def aging_running(screen: Screen) -> bool:
    """Home's aging is paging: "computing…", and its progress bar has a percentage."""
    return screen.has("computing…") and any(re.search(r"\b\d+%", line) for line in screen.lines)


def aging_done(screen: Screen) -> bool:
    return (
        section(screen) == "Home"
        and not screen.has("computing…")
        and screen.has("computed ")
        and not screen.has("not computed")
    )


def customer_count(screen: Screen) -> tuple[int, int | None, int] | None:
    """The Customers summary: (customers listed, of how many when something is typed, the
    summary's line number)."""
    for at, line in enumerate(screen.lines):
        found = _CUSTOMER_COUNT.match(line)
        if found:
            return number(found[1]), number(found[2]) if found[2] else None, at
    return None


def customers_drawn(screen: Screen) -> bool:
    return section(screen) == "Customers" and customer_count(screen) is not None


def customers_listed(screen: Screen) -> bool:
    counted = customer_count(screen)
    return section(screen) == "Customers" and counted is not None and counted[0] > 0


def customers_settled(screen: Screen) -> bool:
    """Customers listed and nothing under way: the summary says what runs in the background
    (reading customers, totalling balances) with an ellipsis."""
    counted = customer_count(screen)
    return customers_listed(screen) and counted is not None and "…" not in screen.lines[counted[2]]


def customers_show(typed: str, found: list[CustomerEntry], everyone: int) -> Ready:
    """Customers with ``typed`` in the lookup, the summary counting ``found`` (of ``everyone``
    when something is typed), and the list showing only customers found (the first 20
    characters of their names). The list keeps its cursor's customer when still found, so the
    rows shown are not always the first found."""
    names = {entry.legal_name[:20].rstrip() for entry in found}

    def ready(screen: Screen) -> bool:
        counted = customer_count(screen)
        if section(screen) != "Customers" or counted is None:
            return False
        listed, out_of, at = counted
        if listed != len(found) or out_of != (everyone if typed else None):
            return False
        if typed and not screen.lines[at - 1].strip().startswith(typed):
            return False
        # The rows below the list's header, up to the footer: name from the third column.
        rows = [line[2:22].rstrip() for line in screen.lines[at + 2 : -1]]
        rows = [row for row in rows if row]
        return bool(rows) == bool(found) and all(row in names for row in rows)

    return ready


def bharat_connect_shows(screen: Screen) -> bool:
    return (
        section(screen) == "Bharat Connect"
        and screen.has(" 1 Confirm")
        and screen.has("INV/")
        and not screen.has("loading…")
    )


def echo_shows(text: str) -> Ready:
    return lambda screen: screen.has(text)


def sign_in_form(screen: Screen) -> bool:
    return screen.has("Show/hide secrets")  # the footer comes with the form's fields


# -- the programs ------------------------------------------------------------------------------


def seeded_for(live: int) -> int:
    """Customers to seed for ``live`` of them not deleted: the seed deletes 2% of them (at
    least one, from three up; enkash_tui/sandbox/seed/customers.py)."""
    seeded = live
    while seeded - (max(1, round(seeded * 0.02)) if seeded > 2 else 0) < live:
        seeded += 1
    return seeded


def seed_database(path: Path, invoices: int, customers: int) -> None:
    from enkash_tui.sandbox.server import open_database
    from enkash_tui.sandbox.settings import SandboxSettings

    settings = SandboxSettings(
        db_path=path, reset=True, invoices=invoices, customers=seeded_for(customers)
    )
    open_database(settings).close()


def fresh_copy(seeded: Path, folder: Path) -> Path:
    """The seeded database copied into ``folder``: every run starts from the same book (the
    sandbox's simulated buyer changes it as a session goes on)."""
    from enkash_tui.sandbox.db import COMPANIONS

    folder.mkdir(parents=True, mode=0o700)
    copy = folder / seeded.name
    for suffix in ("", *COMPANIONS):
        source = Path(f"{seeded}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{copy}{suffix}")
            os.chmod(f"{copy}{suffix}", 0o600)
    return copy


def terminal_env(folder: Path) -> dict[str, str]:
    """An xterm's environment as an SSH session has it (no COLORTERM), the app's folders
    inside ``folder`` (so nothing is cached)."""
    env = {key: value for key, value in os.environ.items() if key != "COLORTERM"}
    return {
        **env,
        "TERM": "xterm-256color",
        "ENKASH_TUI_STATE_DIR": str(folder / "state"),
        "ENKASH_TUI_CONFIG": str(folder / "config.toml"),
        "ENKASH_TUI_CACHE_DIR": str(folder / "cache"),
        "ENKASH_TUI_DATA_DIR": str(folder / "data"),
    }


def start_app(db: Path, folder: Path) -> PtyProgram:
    argv = [sys.executable, "-m", "enkash_tui", "--sandbox", "--db", str(db)]
    return PtyProgram(argv, terminal_env(folder), COLUMNS, ROWS)


def start_echo(folder: Path) -> PtyProgram:
    program = PtyProgram([sys.executable, "-c", ECHO_APP], terminal_env(folder), COLUMNS, ROWS)
    program.wait(lambda s: s.has("press a key"), "the bare app", 60)
    return program


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of ``pid``, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    kb = {key: int(value.split()[0]) for key, value in re.findall(r"(VmRSS|VmHWM):\s+(.+)", status)}
    return kb["VmRSS"] / 1024, kb["VmHWM"] / 1024


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def command_of(pid: int) -> str:
    """``python -m enkash_tui.sandbox.child``: the command line, its program without a path."""
    argv = Path(f"/proc/{pid}/cmdline").read_text().rstrip("\0").split("\0")
    return " ".join([Path(argv[0]).name, *argv[1:]])[:60]


def sandbox_port(screen: Screen) -> int | None:
    found = re.search(r"Base URL\s+http://127\.0\.0\.1:(\d+)", str(screen))
    return int(found[1]) if found else None


def serves(port: int) -> bool:
    """Whether the sandbox answers HTTP on ``port``. A connection alone proves nothing: the app
    holds the listening socket from the start and the sandbox's process serves it later."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as probe:
            probe.sendall(b"GET /nowhere HTTP/1.0\r\n\r\n")
            return bool(probe.recv(16))
    except OSError:
        return False


# -- one session -------------------------------------------------------------------------------


@dataclass
class Session:
    app: PtyProgram
    echo: PtyProgram
    results: Results
    folder: Path
    keys: int = PER_RUN  # samples of each per-key figure
    echoed: int = 0  # keys sent to the bare app so far
    signed_in_at: float = 0.0  # when Enter was pressed on the sign-in form
    port: int | None = None  # the session's own sandbox (its child process)

    def run(self) -> None:
        for step in (
            self.sign_in,
            self.invoices_while_aging,
            self.end,
            self.page_down_deep,
            self.quick_filter,
            self.customers_first_visit,
            self.lookup,
            self.switches,
            self.memory,
            self.presets,
        ):
            began = time.perf_counter()
            step()
            self.baseline()
            print(f"  {step.__name__}: {time.perf_counter() - began:.1f} s", file=sys.stderr)

    def timed(self, key: str, figure: str, ready: Ready, what: str) -> Sample:
        time.sleep(PACE)
        sample = self.app.press(key, ready, what, timeout=120)
        self.results.add(figure, sample)
        return sample

    def untimed(self, key: str, ready: Ready, what: str, timeout: float = 120) -> Screen:
        self.app.press(key, ready, what, timeout)
        return self.app.screen()

    def baseline(self) -> None:
        """A few keys to the bare app, between the app's figures (so under the same load)."""
        for _ in range(ECHO_KEYS):
            self.echoed += 1
            shown = f"key {self.echoed}: {'abcdefghijklmnopqrstuvwxyz'[self.echoed % 26]}"
            time.sleep(PACE)
            self.results.add("echo", self.echo.press(shown[-1], echo_shows(shown), shown))

    # 1 --------------------------------------------------------------------------------------

    def sign_in(self) -> None:
        form = self.app.wait(sign_in_form, "the sign-in form", 120)
        port = self.port = sandbox_port(self.app.screen())
        deadline = time.monotonic() + 60
        while port is not None and not serves(port) and time.monotonic() < deadline:
            self.app.settle(0.05, 0.1)
        # A person reads the form for a second (the sandbox starts meanwhile, as above).
        time.sleep(max(0.0, form.ended + 1.0 - time.perf_counter()))
        self.results.rss_at_form.append(memory_mb(self.app.pid)[0])
        enter = self.timed("enter", "sign_in", home_shows, "Home")
        tiles = self.app.wait(tiles_counted, "Home's tiles counted", 120)
        self.results.add("home_tiles", Sample(enter.began, tiles.ended, tiles.parsing))
        self.signed_in_at = enter.began

    # 2 --------------------------------------------------------------------------------------

    def invoices_while_aging(self) -> None:
        self.app.wait(aging_running, "Home's aging under way", 120)
        self.timed("f4", "f4_cold", FIRST_ROWS, "Invoices")
        self.untimed("f2", lambda s: section(s) == "Home", "Home again")
        done = self.app.wait(aging_done, "the aging computed", 600)
        self.results.add("aging", Sample(self.signed_in_at, done.ended, done.parsing))
        self.untimed("f4", invoices_show(lambda first, last, total: True), "Invoices again")

    # 4 and 3 --------------------------------------------------------------------------------

    def search_all(self) -> None:
        """``7``: All invoices searched afresh (nothing loaded), its first rows drawn."""
        counter = invoice_counter(self.app.screen())
        if counter is not None and counter[0] == 1:
            # At the top already: the search's first rows would seem drawn before it started.
            self.untimed("end", LAST_ROW, "the last row")
        self.untimed("7", FIRST_ROWS, "All invoices")
        self.app.settle(0.3)  # and the pages fetched ahead of the cursor

    def end(self) -> None:
        for _ in range(self.keys):
            self.search_all()
            self.timed("end", "end", LAST_ROW, "the last row")

    def page_down_deep(self) -> None:
        self.search_all()
        self.untimed("end", LAST_ROW, "the last row")
        for _ in range(self.keys + 2):
            self.step("pageup", up=True)
        # Forget the pages, keep the cursor: PgDn then fetches the rows below as it goes. The
        # rows show "loading…" until the first page, then the cursor's, are back.
        self.untimed("r", lambda s: s.has("loading…"), "the refresh under way")
        self.app.wait(invoices_show(lambda first, last, total: first > 1), "the refresh", 120)
        self.app.settle(0.3)
        for _ in range(self.keys):
            self.step("pagedown", figure="page_down")

    def step(self, key: str, *, up: bool = False, figure: str = "") -> None:
        """``key`` until the counter's first row has moved (down, or ``up``), rows drawn."""
        counter = invoice_counter(self.app.screen())
        assert counter is not None
        before = counter[0]
        moved = invoices_show(
            lambda first, last, total: (first < before) if up else (first > before)
        )
        if figure:
            self.timed(key, figure, moved, f"{key} from row {before:,}")
        else:
            self.untimed(key, moved, f"{key} from row {before:,}")

    # 5 --------------------------------------------------------------------------------------

    def quick_filter(self) -> None:
        self.search_all()
        # The table asks for the pages from a screen above to three below the one it shows
        # (100 rows a page; the screen keeps 60): from row 4,800 on, 5,000 rows are loaded.
        while (counter := invoice_counter(self.app.screen())) is not None and counter[0] < 4_800:
            self.step("pagedown")
        self.app.settle(0.5)
        self.untimed("/", lambda s: s.has("filter loaded rows"), "the find field")
        for word in FILTER_WORDS:
            for end in range(1, len(word) + 1):
                self.timed(word[end - 1], "filter", filter_shows(word[:end]), f"/{word[:end]}")
            counts = filter_counts(self.app.screen(), word)
            assert counts is not None
            self.results.loaded_for_filter.append(counts[1])
            self.untimed("ctrl+u", lambda s: s.has(" · rows 1-"), "the find field cleared")

    # 7 and 6 --------------------------------------------------------------------------------

    def customers_first_visit(self) -> None:
        key = self.timed("f3", "customers_drawn", customers_drawn, "Customers")
        listed = self.app.wait(customers_listed, "customers listed", 300)
        self.results.add("customers_first", Sample(key.began, listed.ended, listed.parsing))
        self.app.wait(customers_settled, "every customer read and the balances totalled", 600)

    def lookup(self) -> None:
        # The app's own cache file, as it saved it: what each key should list.
        cache = CustomerCache.load(self.saved_customers())
        everyone = len(cache.entries)
        for word in lookup_words(cache):
            for end in range(1, len(word) + 1):
                typed = word[:end]
                shows = customers_show(typed, cache.find(typed, limit=5000), everyone)
                self.timed(word[end - 1], "lookup", shows, f"the customers for {typed!r}")
            self.untimed("ctrl+u", customers_show("", cache.entries, everyone), "lookup cleared")

    def saved_customers(self, timeout: float = 60) -> Path:
        """The customer cache file the app wrote once its walk through the customers ended."""
        deadline = time.monotonic() + timeout
        while not (found := sorted((self.folder / "cache").glob("customers-*.json"))):
            if time.monotonic() > deadline:
                raise RuntimeError("the app saved no customer cache")
            self.app.settle(0.1, 0.2)
        return found[0]

    # 8 --------------------------------------------------------------------------------------

    def switches(self) -> None:
        self.timed("f6", "bc_first", bharat_connect_shows, "Bharat Connect")
        self.app.settle(0.5)
        for _ in range(self.keys):
            self.timed("f3", "to_customers", customers_listed, "Customers")
            self.timed("f6", "to_bc", bharat_connect_shows, "Bharat Connect")

    # 10 -------------------------------------------------------------------------------------

    def memory(self) -> None:
        self.results.rss.append(memory_mb(self.app.pid))
        for child in children(self.app.pid):
            self.results.children.append((command_of(child), *memory_mb(child)))

    # 9 --------------------------------------------------------------------------------------

    def presets(self) -> None:
        """The presets the issue names, against this session's own sandbox (its child process,
        on the copied 100k book), through the client over loopback: the server's figure
        (``benchmarks.sandbox_search`` times every preset, and its handler alone)."""
        if self.port is None:
            raise RuntimeError("the sign-in form showed no sandbox address")
        found = asyncio.run(preset_times(f"http://127.0.0.1:{self.port}", self.keys))
        for figure, samples in found.items():
            self.results.ms[figure] += samples


async def preset_times(url: str, rounds: int) -> dict[str, list[float]]:
    from enkash_tui import clock
    from enkash_tui.api import EnkashClient
    from enkash_tui.domain.invoices import BY_KEY
    from enkash_tui.sandbox_demo import (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        DEMO_PASSWORD,
        DEMO_USERNAME,
    )
    from screens.invoices.screen import PAGE_SIZE

    found: dict[str, list[float]] = {}
    async with EnkashClient(url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET) as client:
        await client.login(DEMO_USERNAME, DEMO_PASSWORD)
        for key, figure in PRESET_FIGURES.items():
            query = BY_KEY[key].build(clock.today())
            found[figure] = []
            for round_ in range(rounds + 1):  # the first warms the query's pages, as on screen
                began = time.perf_counter()
                # The page asked for and received whole, not read into models: the server's
                # time and the loopback's, not the client's (the pty figures hold that).
                await client.fetch_invoice_page(
                    query.filters,
                    limit=PAGE_SIZE,
                    order_by=query.order_by,
                    direction=query.direction,
                )
                if round_:
                    found[figure].append((time.perf_counter() - began) * 1000)
    return found


def lookup_words(cache: CustomerCache) -> list[str]:
    """What people type to find a customer, from one in the middle of the list: the first word
    of the name, 8 characters of the GSTIN, 8 digits of the phone, the e-mail domain, and
    "zzzz" (nobody: every entry is looked at)."""
    sample = cache.entries[len(cache.entries) // 2]
    phone = "".join(ch for ch in sample.contact_number if ch.isdigit())[-8:]
    domain = sample.emails[0].split("@")[1] if sample.emails else "traders"
    return [sample.legal_name.split()[0].lower(), sample.pan_or_gstin[:8], phone, domain, "zzzz"]


# -- the report --------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def measured(figure: Figure, values: list[float]) -> str:
    median = statistics.median(values)
    if figure.per_key:
        return f"{median:.1f} / {p95(values):.1f} ms median / p95 (n={len(values)})"
    return f"{median:.0f} ms median (n={len(values)}, max {max(values):.0f})"


def within(figure: Figure, values: list[float]) -> str:
    if figure.budget_ms is None:
        return "–"
    judged = p95(values) if figure.judged_on == "p95" else statistics.median(values)
    return "yes" if judged < figure.budget_ms else "**no**"


def budget(figure: Figure) -> str:
    if figure.budget_ms is None:
        return "–"
    ms = figure.budget_ms
    amount = f"{ms / 1000:g} s" if ms >= 500 else f"{ms:g} ms"
    return f"< {amount}" + (" p95" if figure.judged_on == "p95" else "")


def memory_rows(results: Results) -> list[str]:
    end = max(rss for rss, _ in results.rss)
    peak = max(hwm for _, hwm in results.rss)
    verdict = "yes" if peak < RSS_BUDGET_MB else "**no**"
    rows = [
        f"| 10. RSS of the app's process at the end of the session, worst run | "
        f"< {RSS_BUDGET_MB} MB (peak) | {end:.0f} MB, peak {peak:.0f} MB | {verdict} |",
        f"|    (the app's process at the sign-in form) | – | "
        f"{statistics.median(results.rss_at_form):.0f} MB | – |",
    ]
    for name in sorted({name for name, _, _ in results.children}):
        ends = [end for other, end, _ in results.children if other == name]
        peaks = [peak for other, _, peak in results.children if other == name]
        rows.append(
            f"|    (its child `{name}`, worst run) | – | {max(ends):.0f} MB, "
            f"peak {max(peaks):.0f} MB | – |"
        )
    if not results.children:
        rows.append("|    (its child processes) | – | none | – |")
    return rows


def report(results: Results, args: argparse.Namespace, seconds: float) -> None:
    print(
        f"| figure ({args.invoices:,} invoices, {args.customers:,} customers; {COLUMNS}x{ROWS} "
        f"pty; {args.runs} runs) | budget | measured | within budget |"
    )
    print("|---|---|---|---|")
    for key, figure in FIGURES.items():
        if key == "echo":
            print("\n".join(memory_rows(results)))
        values = results.ms[key]
        if values:
            print(f"| {figure.title} | {budget(figure)} | {measured(figure, values)} | "
                  f"{within(figure, values)} |")  # fmt: skip
    parsing = statistics.median(results.parsing_ms)
    loaded = statistics.median(results.loaded_for_filter)
    print(
        f"\nA clock runs from the key written to the pty until the output that makes the "
        f"emulated screen show the change has arrived (pyte's own parsing, median {parsing:.1f} "
        f"ms a sample, is left out). Budgets are judged on the median unless they say p95; "
        f"figures 1, 2 and 7 are one sample a run. `/` filtered {loaded:,.0f} loaded rows. "
        f"Timed keys {PACE * 1000:.0f} ms apart. The benchmark took {seconds / 60:.1f} min."
    )


# -- main --------------------------------------------------------------------------------------


def warm_up(seeded: Path, folder: Path) -> None:
    """Both programs once to their first screen: the runs find Python's files in the page
    cache."""
    app = start_app(fresh_copy(seeded, folder / "db"), folder)
    try:
        app.wait(sign_in_form, "the sign-in form", 120)
    finally:
        app.close()
    start_echo(folder).close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=5000, help="live customers (5,000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=PER_RUN, help="per-key samples a run (20)")
    args = parser.parse_args()
    began = time.perf_counter()
    results = Results()
    with tempfile.TemporaryDirectory(prefix="enkash-terminal-") as tmp:
        folder = Path(tmp)
        seeded = folder / "seeded" / "sandbox.db"
        seeded.parent.mkdir()
        print(f"seeding {args.invoices:,} invoices…", file=sys.stderr)
        seed_database(seeded, args.invoices, args.customers)
        warm_up(seeded, folder / "warm-up")
        for run in range(1, args.runs + 1):
            run_folder = folder / f"run-{run}"
            app = start_app(fresh_copy(seeded, run_folder / "db"), run_folder)
            echo = start_echo(run_folder)
            try:
                Session(app, echo, results, run_folder, keys=args.keys).run()
            finally:
                app.close()
                echo.close()
            print(f"run {run} of {args.runs} done", file=sys.stderr)
    report(results, args, time.perf_counter() - began)


if __name__ == "__main__":
    main()
