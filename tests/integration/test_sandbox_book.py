"""``--invoices`` / ``--customers`` on a sandbox database that already holds a book: the book is
kept (nothing is thrown away unasked), and the app says so and how to re-seed."""

from __future__ import annotations

import argparse
from pathlib import Path

from enkash_tui.sandbox.command import kept_book
from enkash_tui.sandbox.server import SandboxServer
from enkash_tui.sandbox.settings import SandboxSettings


def asked(invoices: int | None = None, customers: int | None = None) -> argparse.Namespace:
    return argparse.Namespace(invoices=invoices, customers=customers)


def server_for(db: Path, invoices: int, customers: int, reset: bool = False) -> SandboxServer:
    settings = SandboxSettings(db_path=db, invoices=invoices, customers=customers, reset=reset)
    return SandboxServer(settings)  # opens (and if need be seeds) the database; not started


def test_a_new_book_of_another_size_is_kept_and_said(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    first = server_for(db, invoices=120, customers=12)
    assert kept_book(asked(120, 12), first) is None  # just seeded as asked
    first.conn.close()

    again = server_for(db, invoices=900, customers=12)  # asked for more, without --reset
    (count,) = again.conn.execute("SELECT COUNT(*) FROM invoices").fetchone()
    assert count < 900  # the old book is still there
    notice = kept_book(asked(900), again)
    assert notice is not None
    assert "already holds 120 invoices and 12 customers" in notice
    assert "--invoices 900 did not apply" in notice and "--reset" in notice
    assert kept_book(asked(), again) is None  # nothing asked, nothing to say
    again.conn.close()

    reset = server_for(db, invoices=300, customers=12, reset=True)
    assert kept_book(asked(300), reset) is None
    reset.conn.close()
