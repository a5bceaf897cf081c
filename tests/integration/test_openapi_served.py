"""A running sandbox serves the API's description at ``/openapi.json``, unsigned, the same
document ``enkash-tui openapi`` prints; and what Schemathesis found in it stays fixed."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx

from enkash_tui.api.openapi import build_document
from enkash_tui.api.routes import build_routes
from tests.support.sandboxes import RunningSandbox
from tests.support.shell_runs import REPO
from tests.support.wire import RawApi


def test_the_sandbox_serves_the_document_the_command_prints(shared_sandbox: RunningSandbox) -> None:
    served = httpx.get(f"{shared_sandbox.url}/openapi.json", timeout=30)  # no token
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/json")
    printed = subprocess.run([sys.executable, "-m", "enkash_tui", "openapi"], capture_output=True,
                             text=True, cwd=REPO, timeout=60, check=True).stdout  # fmt: skip
    assert served.json() == json.loads(printed) == build_document(build_routes())


def test_what_schemathesis_found_stays_fixed(shared_sandbox: RunningSandbox) -> None:
    """Its findings, each fixed in the sandbox: an empty tenancy id or sort is refused (it was
    taken for "none"), a sort direction is the documented enum exactly, and a 405 says every
    method its path takes."""
    api = RawApi(shared_sandbox.url)
    token = api.token()
    for query in ({"sellerId": ""}, {"sellerId": "cekdemo001"}, {"orderBy": ""},
                  {"direction": "asc"}, {"direction": ""}):  # fmt: skip
        reply = api.call("POST", "/api/v0/invoice/search", token=token, params=query, json={})
        assert reply.status_code == 400, (query, reply.text)
        assert reply.json()["errorResponse"]["errorType"] == "VALIDATION_ERROR"
    contacts = "/api/v0/customer/KC0000000000NONE/contacts"
    empty = api.call("GET", contacts, token=token, params={"parentCompanyId": ""})
    assert empty.status_code == 400
    query = {"limit": 1, "direction": "ASC"}
    fine = api.call("POST", "/api/v0/invoice/search", token=token, params=query, json={})
    assert fine.status_code == 200
    options = api.call("OPTIONS", "/api/v0/invoice/KI0000000000NONE", token=token)
    assert options.status_code == 405
    assert options.headers["allow"] == "GET, HEAD, PATCH"
