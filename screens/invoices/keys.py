"""The Invoices screen's keys, each with an id so a user's keymap can move it."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from enkash_tui.domain.invoices import PRESETS

INVOICE_KEYS: list[BindingType] = [
    *(
        Binding(p.key, f"preset('{p.key}')", p.label, show=False, id=f"invoices.preset{p.key}")
        for p in PRESETS
    ),
    Binding("f", "filter", "Filter", id="invoices.search_filter"),
    Binding("slash", "quick_filter", "Find", id="invoices.filter"),
    Binding("o", "sort", "Sort", id="invoices.sort"),
    Binding("n", "new", "New", id="invoices.new"),
    Binding("e", "edit", "Edit", show=False, id="invoices.edit"),
    Binding("space", "mark", "Mark", id="invoices.mark"),
    Binding("asterisk", "mark_all", "Mark all in search", show=False, id="invoices.mark_all"),
    Binding("u", "unmark", "Clear marks", show=False, id="invoices.unmark"),
    Binding("s", "dispatch", "Send", id="invoices.dispatch"),
    Binding("x", "delete", "Delete", show=False, id="invoices.delete"),
    Binding("y", "copy('number')", "Copy no.", id="invoices.copy"),
    Binding("Y", "copy('link')", "Copy link", show=False, id="invoices.copy_link"),
    Binding("v", "toggle_detail", "Detail", show=False, id="invoices.detail"),
    Binding("c", "customer", "Customer", show=False, id="invoices.customer"),
    Binding("w", "follow_up", "Follow-up", show=False, id="invoices.followup"),
    Binding("m", "customer(True)", "Reminders", show=False, id="invoices.reminders"),
    Binding("r", "refresh", "Refresh", id="invoices.refresh"),
    Binding("E", "export", "Export CSV", show=False, id="invoices.export"),
    Binding("U", "bulk_upload", "Bulk upload", show=False, id="invoices.bulk_upload"),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="invoices.clear"),
    Binding("W", "export_follow_ups", "Export follow-ups", show=False, id="invoices.book_export"),
    Binding("I", "import_follow_ups", "Import follow-ups", show=False, id="invoices.book_import"),
]
