"""A running sandbox serves the API's description at ``/openapi.json``, unsigned, the same
document ``enkash-tui openapi`` prints."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx

from enkash_tui.api.openapi import build_document
from enkash_tui.api.routes import build_routes
from tests.support.sandboxes import RunningSandbox
from tests.support.shell_runs import REPO


def test_the_sandbox_serves_the_document_the_command_prints(shared_sandbox: RunningSandbox) -> None:
    served = httpx.get(f"{shared_sandbox.url}/openapi.json", timeout=30)  # no token
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/json")
    printed = subprocess.run([sys.executable, "-m", "enkash_tui", "openapi"], capture_output=True,
                             text=True, cwd=REPO, timeout=60, check=True).stdout  # fmt: skip
    assert served.json() == json.loads(printed) == build_document(build_routes())
