"""The shell commands run as a user runs them: ``python -m enkash_tui …`` in a process of its own,
stdin a pipe (no terminal to ask at), against the profile ``team`` these helpers write."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME

REPO = Path(__file__).resolve().parents[2]


def write_profile(
    url: str, *, username: str | None = DEMO_USERNAME, company_id: str | None = None
) -> None:
    """The profile ``team`` at ``url``, in the config file the tests' environment names."""
    path = Path(os.environ["ENKASH_TUI_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        'default_profile = "team"',
        "[profiles.team]",
        f'base_url = "{url}"',
        f'client_id = "{DEMO_CLIENT_ID}"',
    ]
    if username:
        lines.append(f'username = "{username}"')
    if company_id:
        lines.append(f'company_id = "{company_id}"')
    path.write_text("\n".join(lines) + "\n")


def environment(secrets: bool = True) -> dict[str, str]:
    """The tests' environment, its secrets for the sandbox's demo sign-in (or none)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENKASH_") or "TUI" in k}
    if secrets:
        env |= {"ENKASH_CLIENT_SECRET": DEMO_CLIENT_SECRET, "ENKASH_PASSWORD": DEMO_PASSWORD}
    return env


def shell(*argv: str, stdin: str = "", secrets: bool = True) -> subprocess.CompletedProcess[str]:
    """``enkash-tui argv…`` run to its end."""
    return subprocess.run(
        [sys.executable, "-m", "enkash_tui", *argv],
        input=stdin, capture_output=True, text=True, cwd=REPO, env=environment(secrets),
        timeout=60,
    )  # fmt: skip


def shell_to_a_gone_reader(*argv: str) -> subprocess.CompletedProcess[str]:
    """``enkash-tui argv… | head -0``: stdout a pipe whose reader has already closed it."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "enkash_tui", *argv],
            stdin=subprocess.DEVNULL, stdout=write_end, stderr=subprocess.PIPE, text=True,
            cwd=REPO, env=environment(), timeout=60,
        )  # fmt: skip
    finally:
        os.close(write_end)


async def shell_async(*argv: str) -> subprocess.CompletedProcess[str]:
    """``shell`` without blocking the test's event loop (a proxy on that loop must serve it)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "enkash_tui", *argv,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
        env=environment(True),
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    code = process.returncode if process.returncode is not None else -1
    return subprocess.CompletedProcess(list(argv), code, out.decode(), err.decode())


def lines_of(result: subprocess.CompletedProcess[str], code: int = 0) -> list[dict[str, Any]]:
    """The JSON lines it printed, once it exited with ``code``."""
    assert result.returncode == code, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]
