"""A child process for the shared-book test: the real app (headless), signed in to the sandbox at
``argv[1]`` with the Sandbox profile's follow-up book set to the shared file ``argv[2]``, writes
``argv[4]`` notes "``argv[3]`` 0", "``argv[3]`` 1"… on the first invoice of the list, each through
the follow-up window's note form (``w``, ``n``, Enter) and each seen on its timeline.

``python -m tests.support.book_writer URL BOOK TAG COUNT``; the app's folders come from the
environment, as the test set them. Once its window is open it leaves ``TAG.ready`` beside the
book and waits for every writer's (``WRITERS``), so that they write at the same time. Prints
"wrote COUNT" when every note is on the timeline.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import sys
from pathlib import Path

from textual.widgets import Input, Static

from enkash_tui.config import SANDBOX_PROFILE
from screens.followup.forms import NoteForm
from screens.followup.window import FollowUpWindow
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.screen_text import text_of

WRITERS = ("asha", "ravi")


async def main(url: str, book: str, tag: str, count: int) -> None:
    app = build_app(url)
    app.profiles[SANDBOX_PROFILE] = dataclasses.replace(
        app.profiles[SANDBOX_PROFILE], worklog_db=book
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        await pilot.press("w")
        window = app.screen
        assert isinstance(window, FollowUpWindow), window
        await wait_until(pilot, lambda: window.entries is not None, what="the book read")
        folder = Path(book).parent
        (folder / f"{tag}.ready").touch()
        await wait_until(
            pilot,
            lambda: all((folder / f"{who}.ready").exists() for who in WRITERS),
            timeout=60,
            what="the other writer",
        )
        for n in range(count):
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, NoteForm), what="the form")
            form = app.screen
            form.query_one("#text", Input).value = f"{tag} {n}"
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is window, what="the note saved")
            line = re.compile(rf"Note: {tag} {n}(\s|$)", re.MULTILINE)
            await wait_until(
                pilot,
                lambda line=line: bool(line.search(text_of(window.query_one("#fu-lines", Static)))),
                what=f"note {n} on the timeline",
            )
        print(f"wrote {count}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
