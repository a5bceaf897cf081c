"""A team on one host: two app processes, each signed in and writing notes through the follow-up
window, into one shared book (the profile's ``worklog_db``) at the same time; nothing is lost:
each note is there once, in its writer's order."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from enkash_tui.local.worklog import Worklog
from enkash_tui.sandbox_demo import DEMO_USERNAME
from tests.support.book_writer import WRITERS
from tests.support.sandboxes import RunningSandbox

REPO = Path(__file__).resolve().parents[2]
NOTES = 15  # each writer's


async def test_two_app_processes_write_one_shared_book_and_lose_nothing(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    team = tmp_path / "team"
    team.mkdir(mode=0o770)  # the team's folder, made by whoever set the host up
    book = team / "book.sqlite3"
    writers = []
    for tag in WRITERS:
        home = tmp_path / tag  # each operator's own folders; only the book is shared
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
               "XDG_DATA_HOME": str(home / ".local/share"), "XDG_STATE_HOME": str(home / ".state"),
               "XDG_CACHE_HOME": str(home / ".cache")}  # fmt: skip
        command = [sys.executable, "-m", "tests.support.book_writer", sandbox.url, str(book), tag]
        writer = await asyncio.create_subprocess_exec(
            *command,
            str(NOTES),
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        writers.append(writer)
    outputs = await asyncio.wait_for(asyncio.gather(*(w.communicate() for w in writers)), 150)
    for writer, (output, _) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, output.decode()[-3000:]
        assert f"wrote {NOTES}" in output.decode()

    entries = Worklog(book, "reader", private=False).all_entries()
    assert {e.kind for e in entries} == {"note"} and {e.by for e in entries} == {DEMO_USERNAME}
    assert len({e.subject for e in entries}) == 1  # both on the first invoice of the list
    oldest_first = sorted(entries, key=lambda e: e.id)
    for tag in WRITERS:
        written = [e.text for e in oldest_first if e.text.startswith(f"{tag} ")]
        assert written == [f"{tag} {n}" for n in range(NOTES)]
    assert len(entries) == 2 * NOTES
    # At the same time: each wrote while the other was writing.
    spans = {tag: [e.at for e in entries if e.text.startswith(tag)] for tag in WRITERS}
    assert max(map(min, spans.values())) <= min(map(max, spans.values()))
