"""The invoices a shell change names, on the command line or in a file (one id or invoice number
a line; ``-`` is stdin), and each looked up on EnKash before anything is sent: one EnKash does not
have stops the command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from enkash_tui.api import ApiError, ErrorType
from enkash_tui.api.models import Invoice, InvoiceFilter
from enkash_tui.api.models.invoice import MAX_BATCH
from enkash_tui.shell.progress import Progress
from enkash_tui.shell.signin import UsageError

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient


def named(args: argparse.Namespace) -> list[str]:
    """The invoices the command names, each once, in order: arguments, then the file's lines
    (blank lines and ``#`` comments skipped; a CSV's first cell)."""
    names = list(args.invoices)
    if args.source == "-" and args.password_stdin:
        raise UsageError("stdin cannot carry both the password and the invoices: use --from FILE")
    if args.source:
        try:
            content = sys.stdin.read() if args.source == "-" else Path(args.source).read_text()
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read {args.source}: {error}") from None
        for line in content.splitlines():
            cell = line.split(",", 1)[0].strip().strip('"')
            if cell and not cell.startswith("#"):
                names.append(cell)
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not names:
        raise UsageError("name the invoices: their ids or numbers, or --from FILE")
    if len(names) > MAX_BATCH:
        raise UsageError(
            f"{len(names):,} invoices are more than one batch may carry ({MAX_BATCH:,})"
        )
    return names


async def look_up(client: EnkashClient, name: str) -> Invoice | None:
    """The invoice an id (KI…) or an invoice number names; None when EnKash has none. Any
    other failure (EnKash unreachable, a server error) is raised, not taken for "none"."""
    if name.upper().startswith("KI") and name.isalnum():
        try:
            return await client.get_invoice(name)
        except ApiError as error:
            if not _no_such_record(error):
                raise
        except ValueError:
            pass  # not an id a request may carry: perhaps a number that looks like one
    try:
        filters = InvoiceFilter(invoice_number=name)
    except ValueError:  # not a number EnKash's search takes
        return None
    page = await client.search_invoices(filters, limit=25)
    return next((i for i in page.items if i.invoice_number == name), None)


def _no_such_record(error: ApiError) -> bool:
    """EnKash's "no such invoice" (perhaps a number that looks like an id)."""
    return error.status_code in (400, 404) or error.error_type == ErrorType.RECORD_NOT_FOUND


async def invoices_named(client: EnkashClient, names: list[str]) -> list[Invoice] | None:
    """Each invoice ``names`` names, once each, in order; None (and said) when EnKash lacks
    any of them."""
    found: dict[str, Invoice | None] = {}
    with Progress("Looking up invoices") as progress:
        for name in names:
            found[name] = await look_up(client, name)
            progress.update(len(found), len(names))
    missing = [name for name, invoice in found.items() if invoice is None]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        print(f"enkash-tui: not on EnKash: {shown}; nothing sent", file=sys.stderr)
        return None
    return list({i.invoice_id: i for i in found.values() if i is not None}.values())
