"""Bulk customer files: create or update, checked row by row, uploaded, result saved as CSV.

Driven through BulkUploadScreen with both customer kinds against the shared sandbox. Names carry
a fresh tag so the rows this test creates cannot collide with another test's.
"""

from __future__ import annotations

import csv
import re
import stat
import uuid
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, RadioSet, Static

from enkash_tui.api.models import CustomerFilter
from enkash_tui.domain.bulk import CUSTOMERS_CREATE, CUSTOMERS_UPDATE
from screens.app import EnkashApp
from screens.bulk_upload import BulkUploadScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import texts

CREATE_HEADER = "legalName,state,pinCode,ifsc,panOrGstin,contactName,contactMobile,contactEmail\n"
UPDATE_HEADER = "customerId,state,pinCode\n"
UNKNOWN = "KC00000000000000"


def focused(app: EnkashApp) -> Widget | None:
    return app.focused


def bulk_requests(sent: list[httpx.Request]) -> list[httpx.Request]:
    return [r for r in sent if r.method == "POST" and "/bulk" in r.url.path]


async def customers_named(url: str, name: str) -> dict[str, Any]:
    async with signed_in(url) as client:
        page = await client.search_customers(CustomerFilter(legal_name=name), limit=50)
        return {c.legal_name or "": c for c in page.items}


async def open_customer_upload(pilot: Pilot[Any]) -> tuple[BulkUploadScreen, list[bool | None]]:
    await sign_in(pilot)
    closed: list[bool | None] = []
    upload = BulkUploadScreen((CUSTOMERS_CREATE, CUSTOMERS_UPDATE))
    pilot.app.push_screen(upload, closed.append)
    await pilot.pause()
    assert pilot.app.screen is upload
    return upload, closed


async def check_path(pilot: Pilot[Any], upload: BulkUploadScreen, path: Path) -> None:
    field = upload.query_one("#path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_customer_files_are_checked_uploaded_and_their_result_saved(
    sandbox: Any, sent_requests: list[httpx.Request], tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8].upper()
    alpha, bravo = f"Bulk {tag} Alpha Pvt Ltd", f"Bulk {tag} Bravo LLP"
    new_customers = tmp_path / "customers.csv"
    new_customers.write_text(
        CREATE_HEADER
        + f"{alpha},Maharashtra,411001,HDFC0001234,,Ravi Kumar,9812345678,ravi@alpha.in\n"
        + f"{bravo},Karnataka,056001,HDFC123,,Asha Rao,12345,asha-at-bravo\n",
        encoding="utf-8",
    )
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        upload, closed = await open_customer_upload(pilot)
        assert "Bulk upload customers" in texts(upload, visible_only=True)
        # the chosen kind's template
        assert "customers-create.csv" in texts(upload, visible_only=True)
        assert isinstance(focused(app), RadioSet)  # the kind is picked first

        # A bad row: every problem named by spreadsheet row and CSV column, nothing sent.
        await pilot.press("tab")  # keep "create new customers", go on to the path
        assert focused(app) is upload.query_one("#path", Input)
        await check_path(pilot, upload, new_customers)
        shown = texts(upload, visible_only=True)
        assert "1 row needs fixing" in shown
        for column, hint in (
            ("pinCode", "6 digits"),
            ("ifsc", "HDFC0001234"),
            ("contactMobile", "10 digits"),
            ("contactEmail", "name@firm.in"),
        ):
            assert re.search(rf"^\s*3\s+{column}\s+.*{hint}", shown, re.MULTILINE), column
        assert upload.query_one("#upload").has_class("hidden")
        assert bulk_requests(sent_requests) == []

        # Fixed: it uploads and the result counts the rows.
        new_customers.write_text(
            CREATE_HEADER
            + f"{alpha},Maharashtra,411001,HDFC0001234,,Ravi Kumar,9812345678,ravi@alpha.in\n"
            + f"{bravo},Karnataka,560001,HDFC0001234,,Asha Rao,+91 9845012345,asha@bravo.in\n",
            encoding="utf-8",
        )
        await check_path(pilot, upload, new_customers)
        assert "All 2 rows look right" in texts(upload, visible_only=True)
        await pilot.press("enter")  # focus moved to the Upload button
        await wait_until(
            pilot, lambda: "2 created, 0 refused" in texts(upload, visible_only=True), what="upload"
        )
        (sent,) = bulk_requests(sent_requests)
        assert sent.url.path.endswith("/customer/bulk")
        created = await customers_named(sandbox.url, f"Bulk {tag}")
        assert sorted(created) == sorted([alpha, bravo])
        assert created[bravo].pin_code == "560001"

        # Update: pick the other kind with the keyboard; an unknown customer passes the local
        # check, so the server refuses it and the result names that row.
        upload.query_one("#bulk-kind", RadioSet).focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert upload.kind is CUSTOMERS_UPDATE
        assert "customers-update.csv" in texts(upload, visible_only=True)
        assert focused(app) is upload.query_one("#path", Input)
        changes = tmp_path / "changes.csv"
        alpha_id = created[alpha].customer_id
        changes.write_text(
            UPDATE_HEADER + f"{alpha_id},Goa,403001\n{UNKNOWN},Goa,\n", encoding="utf-8"
        )
        await check_path(pilot, upload, changes)
        assert "All 2 rows look right" in texts(upload, visible_only=True)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: "1 updated, 1 refused" in texts(upload, visible_only=True), what="update"
        )
        shown = texts(upload, visible_only=True)
        assert UNKNOWN in shown and "not found" in shown.lower()
        updated = await customers_named(sandbox.url, alpha)
        assert (updated[alpha].state, updated[alpha].pin_code) == ("Goa", "403001")

        # Save the result: one line per row of the upload, beside the uploaded file.
        await pilot.press("w")
        await pilot.pause()
        target = upload.query_one("#result-path", Input)
        assert focused(app) is target
        assert target.value == str(tmp_path / "changes-result.csv")
        await pilot.press("enter")
        await pilot.pause()
        saved = tmp_path / "changes-result.csv"
        lines = list(csv.reader(saved.read_text(encoding="utf-8").splitlines()))
        assert lines[0] == ["row", "reference", "outcome", "id", "reason"]
        assert lines[1] == ["2", alpha_id, "updated", alpha_id, ""]
        assert lines[2][:4] == ["3", UNKNOWN, "refused", ""]
        assert "not found" in lines[2][4].lower()
        assert len(lines) == 3
        assert "Wrote 2 rows" in texts(upload, visible_only=True)
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600  # the owner's only

        # Saving again over that file is refused next to the path, which keeps what was typed.
        before = saved.read_bytes()
        await pilot.press("enter")
        await pilot.pause()
        assert "already exists" in str(upload.query_one("#result-error", Static).content)
        assert target.value == str(saved)
        assert saved.read_bytes() == before

        await pilot.press("escape")
        await wait_until(pilot, lambda: closed == [True], what="the screen to close")


async def test_a_file_for_the_other_kind_is_refused_whole(
    sent_requests: list[httpx.Request], tmp_path: Path, sandbox: RunningSandbox
) -> None:
    changes = tmp_path / "changes.csv"
    changes.write_text(UPDATE_HEADER + "KC1A2B3C4D5E6F7G,Goa,403001\n", encoding="utf-8")
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 30)) as pilot:
        upload, closed = await open_customer_upload(pilot)
        await check_path(pilot, upload, changes)  # still "create new customers"
        error = str(upload.query_one("#path-error", Static).content)
        assert "customerId" in error and "contactMobile" in error
        assert upload.query_one("#upload").has_class("hidden")
        assert upload.query_one("#path", Input).value == str(changes)  # nothing typed is lost

        # Switching the kind checks the same file again, now as updates.
        upload.query_one("#bulk-kind", RadioSet).focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "The one row looks right" in texts(upload, visible_only=True)
        assert str(upload.query_one("#path-error", Static).content) == ""
        assert bulk_requests(sent_requests) == []
        await pilot.press("escape")
        await pilot.pause()
        assert closed == [False]
