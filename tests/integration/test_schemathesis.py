"""Schemathesis against the sandbox, signed in as the demo user: every operation of the OpenAPI
document (``enkash-tui openapi``) with generated valid and invalid parameters and bodies, and
its checks: no server error, every reply's status, content type, headers and body as the
document declares, invalid data refused, undeclared methods answered 405 with ``Allow``.

Bounded for CI (the fuzzing phase, 6 examples an operation); README "Fuzzing the sandbox" gives
the deeper run, the coverage phase's boundaries and invalid values included.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from tests.support.wire import RawApi

# Every check but three that EnKash's own design rules out (the note in README "Fuzzing the
# sandbox" says more):
# * positive_data_acceptance: a document cannot say every rule EnKash applies across fields (a
#   due date on or after the invoice date, a GSTIN's check digit, an id that exists), so a
#   schema-valid request may rightly be refused;
# * unsupported_method, allow_header_conformance: EnKash's paths overlap (the document's
#   x-enkash-also-matches), so PATCH /api/v0/customer/bulk is an update of customer "bulk" (404),
#   not a 405, and OPTIONS there lists that operation's methods too. Schemathesis cannot turn
#   these off for a path alone.
CHECKS = "all"
NOT_CHECKED = "positive_data_acceptance,unsupported_method,allow_header_conformance"
# The fuzzing phase, valid and invalid data alike, 6 examples an operation: a few seconds. The
# coverage phase (every keyword's boundaries, ~2,300 more requests) is the deeper run's.
EXAMPLES = 6
PHASES = "examples,fuzzing"


# Each operation signed in as EnKash wants it: the token call with the client's Basic
# credentials, the rest with the demo user's bearer token. The secrets stay in the process's
# environment (Schemathesis fills ${…} in from it), never in the file.
CONFIG = """
[[operations]]
include-operation-id = "login"
auth.basic = { username = "${FUZZ_CLIENT_ID}", password = "${FUZZ_CLIENT_SECRET}" }

[[operations]]
include-operation-id = "bulk_create_customers"
headers = { Authorization = "Bearer ${FUZZ_TOKEN}" }
# companyId is required and only the caller's own is allowed (else 403): the demo company's,
# so the upload itself is fuzzed rather than refused at the door.
parameters = { companyId = "${FUZZ_CLIENT_ID}" }

[[operations]]
exclude-operation-id-regex = "^(login|bulk_create_customers)$"
headers = { Authorization = "Bearer ${FUZZ_TOKEN}" }
"""


def test_schemathesis_finds_nothing_wrong_with_the_sandbox(
    start_sandbox: Any, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    document = httpx.get(f"{sandbox.url}/openapi.json", timeout=30).json()
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    token = RawApi(sandbox.url).token()
    env = {**os.environ, "FUZZ_CLIENT_ID": DEMO_CLIENT_ID, "FUZZ_CLIENT_SECRET": DEMO_CLIENT_SECRET,
           "FUZZ_TOKEN": token}  # fmt: skip
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config), "run",
        f"{sandbox.url}/openapi.json", "--url", sandbox.url,
        "--phases", PHASES, "--max-examples", str(EXAMPLES),
        "--checks", CHECKS, "--exclude-checks", NOT_CHECKED,
        "--workers", "1", "--seed", "20261207", "--no-color",
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env,
                         timeout=170)  # fmt: skip
    said = run.stdout + run.stderr
    assert run.returncode == 0, said[-6000:]
    assert token not in said and DEMO_CLIENT_SECRET not in said  # its reports filter them
    methods = {"get", "put", "post", "patch", "delete"}
    operations = sum(1 for item in document["paths"].values() for key in item if key in methods)
    assert f"Tested: {operations}" in said, said[-3000:]  # every one, the sign-in too
    summary = said.rsplit("SUMMARY", 1)[-1]
    generated = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert generated and generated[1] == generated[2] and int(generated[1]) > 5 * operations
