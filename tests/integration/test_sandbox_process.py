"""``--sandbox``'s server runs in its own process: its address is known before it starts, it
answers on the socket the app bound, it ends with the app however the app ends, and a child that
dies before answering is said in words."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from enkash_tui.sandbox.settings import SandboxSettings
from enkash_tui.sandbox.starter import SandboxProcess

# A parent holding a started sandbox, as the app does; it prints the child's pid and sleeps.
PARENT = """
import sys, time
from pathlib import Path
from enkash_tui.sandbox.settings import SandboxSettings
from enkash_tui.sandbox.starter import SandboxProcess
local = SandboxProcess(SandboxSettings(db_path=Path(sys.argv[1]), invoices=40, customers=4, port=0))
local.start()
local.ready.wait(60)
print(local._child.pid, local.error, flush=True)
time.sleep(120)
"""


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # A child reaped by nobody yet is a zombie: it has ended all the same.
        status = Path(f"/proc/{pid}/stat")
        if status.exists() and status.read_text().split()[2] == "Z":
            return True
        time.sleep(0.05)
    return False


def test_the_address_is_known_before_the_process_runs_and_it_answers_there(
    tmp_path: Path,
) -> None:
    local = SandboxProcess(
        SandboxSettings(db_path=tmp_path / "s.db", invoices=40, customers=4, port=0)
    )
    try:
        assert local.url.startswith("http://127.0.0.1:") and not local.ready.is_set()
        local.start()
        local.start()  # a second start does nothing
        assert local.ready.wait(60) and local.error is None
        assert local._child is not None and local._child.pid != os.getpid()
        assert httpx.get(f"{local.url}/openapi.json", timeout=10).status_code == 200
    finally:
        local.stop()
    assert local._child.returncode == 0  # it closed its database and exited when asked


def test_the_sandbox_ends_when_the_app_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path / "s.db")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        child_pid, error = parent.stdout.readline().split()
        assert error == "None"
        os.kill(parent.pid, signal.SIGKILL)  # no goodbye: the pipe closing is all it sees
        parent.wait()
        assert gone_within(int(child_pid), 10), "the sandbox outlived the app"
    finally:
        parent.kill()
        parent.wait()


def test_a_child_that_dies_before_answering_is_said_in_words(tmp_path: Path) -> None:
    local = SandboxProcess(
        SandboxSettings(db_path=tmp_path / "s.db", port=0),
        program=[sys.executable, "-c", "raise SystemExit(3)"],
    )
    told: list[str | None] = []
    local.when_ready(lambda: told.append(local.error))
    local.start()
    try:
        assert local.ready.wait(30)
        assert local.error == "its process ended (exit code 3)" and told == [local.error]
    finally:
        local.stop()


def test_a_database_that_cannot_be_opened_is_the_reason_given(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    local = SandboxProcess(SandboxSettings(db_path=folder, port=0))
    local.start()
    try:
        assert local.ready.wait(60)
        assert local.error and "database" in local.error.lower()
    finally:
        local.stop()


def test_a_child_that_says_something_else_is_not_waited_for_forever(tmp_path: Path) -> None:
    local = SandboxProcess(
        SandboxSettings(db_path=tmp_path / "s.db", port=0),
        program=[sys.executable, "-c", "import time; print(3, flush=True); time.sleep(30)"],
    )
    local.start()
    try:
        assert local.ready.wait(30)
        assert local.error == "it said something other than ready"
    finally:
        local.stop()  # not waiting for the sleep: killed after STOP_WAIT at most
