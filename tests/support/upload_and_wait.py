"""A child process for the kill test: the real app (headless), signed in to the sandbox at
``argv[1]``, uploads the customer file ``argv[2]`` from Customers (U) and waits for the reply
for ever, until the test kills it (``kill -9``) with the upload in flight.

``python -m tests.support.upload_and_wait URL FILE``; the app's folders come from the
environment (``ENKASH_TUI_STATE_DIR``...), as the test set them.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from textual.widgets import Input

from screens.bulk_upload import BulkUploadScreen
from tests.support.driving import build_app, open_customers, wait_until


async def main(url: str, path: Path) -> None:
    app = build_app(url)
    async with app.run_test(size=(120, 40)) as pilot:
        customers = await open_customers(pilot)
        customers.table.focus()  # off the lookup field, where U would be a letter
        await pilot.press("U")
        await wait_until(pilot, lambda: isinstance(app.screen, BulkUploadScreen), what="upload")
        upload = app.screen
        await pilot.press("tab")  # keep "create new customers", on to the path
        field = upload.query_one("#path", Input)
        field.value = str(path)
        await pilot.press("enter")  # check the file
        await wait_until(
            pilot, lambda: upload.checked is not None, timeout=120, what="the file checked"
        )
        await pilot.press("enter")  # Upload
        print("uploading", flush=True)
        await asyncio.Event().wait()  # the reply never comes: the test kills us


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
