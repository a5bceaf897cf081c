"""The invoice presets and sorts (enkash_tui.domain.invoices), and how the invoice table fits.

The last part exercises ``LazyTable._fit`` with the real invoice columns: no app is needed to
work out which columns fit a width.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import FrozenInstanceError, replace

import pytest

from enkash_tui.api.models import ApprovalStatus, Invoice, InvoiceFilter, SortDirection
from enkash_tui.domain.invoices import (
    AMOUNT_FIELD,
    AWAITING_APPROVAL,
    BY_KEY,
    CUSTOMER_FIELD,
    NUMBER_FIELD,
    OPEN,
    PRESETS,
    InvoiceQuery,
    narrowed,
    search_field,
)
from screens.invoices.view import INVOICE_COLUMNS, SORTABLE
from screens.widgets.lazy_table import OPTIONAL, Column, LazyTable

TODAY = dt.date(2026, 11, 25)  # a Wednesday
OPEN_WIRE = ["UNPAID", "PARTIALLY_PAID", "OVERDUE"]


def build(key: str, today: dt.date = TODAY) -> InvoiceQuery:
    return BY_KEY[key].build(today)


def wire(query: InvoiceQuery) -> dict[str, object]:
    return query.filters.to_wire()


# -- the presets ------------------------------------------------------------------------------


def test_presets_are_keys_one_to_seven_in_order() -> None:
    assert [p.key for p in PRESETS] == list("1234567")
    assert list(BY_KEY) == list("1234567")
    assert [p.label for p in PRESETS] == [
        "Open",
        "Overdue",
        "Due this week",
        "Not dispatched",
        "Partly paid",
        "Awaiting approval",
        "All",
    ]


def test_every_preset_label_shows_in_its_query_label() -> None:
    # The preset bar highlights the preset whose label is in the current query's label.
    for preset in PRESETS:
        query = preset.build(TODAY)
        owners = [p.key for p in PRESETS if p.label in query.label]
        assert owners == [preset.key], (preset.label, query.label, owners)


def test_short_labels_fit_the_narrow_preset_bar() -> None:
    line = "".join(f" {p.key} {p.short or p.label}" for p in PRESETS)
    assert len(line) <= 80, line


def test_open() -> None:
    query = build("1")
    assert query.label == "Open"
    assert query.filters == InvoiceFilter(receivable_statuses=OPEN)
    assert wire(query) == {"receivableStatuses": OPEN_WIRE}
    assert (query.order_by, query.descending) == ("dueDate", False)


def test_overdue_is_open_and_due_by_the_end_of_yesterday() -> None:
    query = build("2")
    assert query.label == "Overdue"
    assert query.filters.receivable_statuses == OPEN
    assert query.filters.due_date_to == dt.datetime(2026, 11, 24, 23, 59, 59)
    assert query.filters.due_date_from is None
    assert wire(query) == {"receivableStatuses": OPEN_WIRE, "dueDateTo": "2026-11-24 23:59:59"}
    assert (query.order_by, query.descending) == ("dueDate", False)


def test_overdue_on_new_years_day_reaches_into_last_year() -> None:
    query = build("2", dt.date(2027, 1, 1))
    assert query.filters.due_date_to == dt.datetime(2026, 12, 31, 23, 59, 59)


def test_due_this_week_is_today_and_the_six_days_after() -> None:
    query = build("3")
    assert query.label == "Due this week"
    assert query.filters.receivable_statuses == OPEN
    assert query.filters.due_date_from == dt.datetime(2026, 11, 25, 0, 0, 0)
    assert query.filters.due_date_to == dt.datetime(2026, 12, 1, 23, 59, 59)
    assert wire(query) == {
        "receivableStatuses": OPEN_WIRE,
        "dueDateFrom": "2026-11-25 00:00:00",
        "dueDateTo": "2026-12-01 23:59:59",
    }
    assert (query.order_by, query.descending) == ("dueDate", False)


def test_due_this_week_across_the_year_end() -> None:
    query = build("3", dt.date(2026, 12, 28))
    assert query.filters.due_date_from == dt.datetime(2026, 12, 28, 0, 0, 0)
    assert query.filters.due_date_to == dt.datetime(2027, 1, 3, 23, 59, 59)


def test_overdue_and_due_this_week_do_not_overlap_and_leave_no_gap() -> None:
    overdue, week = build("2").filters, build("3").filters
    assert overdue.due_date_to is not None and week.due_date_from is not None
    assert week.due_date_from - overdue.due_date_to == dt.timedelta(seconds=1)


def test_not_dispatched_is_open_undispatched_newest_first() -> None:
    query = build("4")
    assert query.label == "Not dispatched"
    assert query.filters == InvoiceFilter(dispatched=False, receivable_statuses=OPEN)
    assert wire(query) == {"dispatched": False, "receivableStatuses": OPEN_WIRE}
    assert (query.order_by, query.descending) == ("createdOn", True)
    assert query.direction is SortDirection.DESC


def test_partly_paid() -> None:
    query = build("5")
    assert query.label == "Partly paid"
    assert wire(query) == {"receivableStatuses": ["PARTIALLY_PAID"]}
    assert (query.order_by, query.descending) == ("dueDate", False)


def test_awaiting_approval_is_every_pending_step_oldest_first() -> None:
    query = build("6")
    assert query.label == "Awaiting approval"
    assert query.filters.approval_statuses == [
        ApprovalStatus.MAKER_APPROVAL_PENDING,
        ApprovalStatus.CHECKER_APPROVAL_PENDING,
        ApprovalStatus.APPROVER_APPROVAL_PENDING,
    ]
    assert query.filters.approval_statuses == AWAITING_APPROVAL
    pending = {status for status in ApprovalStatus if status.endswith("_PENDING")}
    assert set(AWAITING_APPROVAL) == pending
    assert query.filters.receivable_statuses is None
    assert (query.order_by, query.descending) == ("createdOn", False)


def test_all_has_no_filters_newest_first() -> None:
    query = build("7")
    assert query.label == "All invoices"
    assert query.filters == InvoiceFilter()
    assert wire(query) == {}
    assert (query.order_by, query.descending) == ("createdOn", True)


@pytest.mark.parametrize("key", ["1", "4", "5", "6", "7"])
def test_presets_without_dates_do_not_depend_on_today(key: str) -> None:
    assert build(key) == build(key, dt.date(2030, 2, 28))


def test_preset_queries_sort_by_a_name_the_server_knows() -> None:
    from enkash_tui.sandbox.routes.invoice_search import INVOICE_SORTS

    for preset in PRESETS:
        assert preset.build(TODAY).order_by in INVOICE_SORTS, preset.label


# -- sorting ----------------------------------------------------------------------------------


def test_the_default_query() -> None:
    query = InvoiceQuery("Mine")
    assert query.filters == InvoiceFilter()
    assert (query.order_by, query.descending) == ("dueDate", False)
    assert query.direction is SortDirection.ASC


def test_direction() -> None:
    assert InvoiceQuery("x").direction is SortDirection.ASC
    assert InvoiceQuery("x", descending=True).direction is SortDirection.DESC


def test_sorted_by_the_same_column_flips_the_direction() -> None:
    query = build("1")  # dueDate ascending
    flipped = query.sorted_by("dueDate")
    assert (flipped.order_by, flipped.descending) == ("dueDate", True)
    assert flipped.direction is SortDirection.DESC
    again = flipped.sorted_by("dueDate")
    assert (again.order_by, again.descending) == ("dueDate", False)


def test_sorted_by_another_column_starts_ascending() -> None:
    newest_first = build("7")  # createdOn descending
    by_balance = newest_first.sorted_by("balanceAmount")
    assert (by_balance.order_by, by_balance.descending) == ("balanceAmount", False)
    assert by_balance.direction is SortDirection.ASC
    down = by_balance.sorted_by("balanceAmount")
    assert down.descending
    assert down.sorted_by("netAmount").descending is False


def test_sorted_by_keeps_the_label_and_filters_and_leaves_the_original_alone() -> None:
    query = build("2")
    sorted_query = query.sorted_by("balanceAmount")
    assert sorted_query.label == query.label
    assert sorted_query.filters == query.filters
    assert (query.order_by, query.descending) == ("dueDate", False)
    with pytest.raises(FrozenInstanceError):
        query.order_by = "netAmount"  # type: ignore[misc]


# -- LazyTable._fit with the invoice columns ----------------------------------------------------

GUTTER = 2  # the mark column ("● ")
SEPARATOR = 1


def fit(width: int) -> list[tuple[Column[Invoice], int]]:
    table: LazyTable[Invoice] = LazyTable(INVOICE_COLUMNS, key=lambda i: i.invoice_id)
    return table._fit(width)


def keys(layout: list[tuple[Column[Invoice], int]]) -> list[str]:
    return [column.key for column, _ in layout]


def used(layout: list[tuple[Column[Invoice], int]]) -> int:
    return sum(size for _, size in layout) + SEPARATOR * (len(layout) - 1) + GUTTER


ALWAYS = ["number", "book", "customer", "due", "balance"]
NATURAL = sum(c.width for c in INVOICE_COLUMNS) + SEPARATOR * (len(INVOICE_COLUMNS) - 1) + GUTTER
ALWAYS_WIDTH = sum(c.width for c in INVOICE_COLUMNS if c.priority == 0)
ESSENTIAL = ALWAYS_WIDTH + SEPARATOR * (len(ALWAYS) - 1) + GUTTER
NAME_IDEAL = 32  # the customer column's ideal: optional columns give way until it has this
FULL = NATURAL + NAME_IDEAL - 18  # every column, the name at its ideal width


def test_the_columns_the_table_depends_on() -> None:
    assert [c.key for c in INVOICE_COLUMNS if c.priority == 0] == ALWAYS
    assert [c.key for c in INVOICE_COLUMNS if c.grow] == ["customer"]
    assert [c.sort for c in SORTABLE] == [
        "invoiceNumber",
        "customerLegalName",
        "invoiceDate",
        "dueDate",
        "netAmount",
        "totalReceived",
        "balanceAmount",
        "createdOn",
    ]


def test_at_80_columns_the_essentials_fill_the_width_exactly() -> None:
    layout = fit(80)
    shown = keys(layout)
    assert set(ALWAYS) <= set(shown)
    assert used(layout) == 80
    natural = {c.key: c.width for c in INVOICE_COLUMNS}
    for column, size in layout:
        if column.key == "customer":
            assert size > natural["customer"]  # the grow column takes the spare
        else:
            assert size == natural[column.key]


def test_on_a_wide_terminal_every_column_shows() -> None:
    wide = FULL + 20
    layout = fit(wide)
    assert keys(layout) == [c.key for c in INVOICE_COLUMNS]
    assert used(layout) == wide
    customer = dict((c.key, size) for c, size in layout)["customer"]
    assert customer == NAME_IDEAL + 20


def test_every_column_shows_once_the_name_has_its_ideal_width() -> None:
    assert [c.ideal for c in INVOICE_COLUMNS if c.key == "customer"] == [NAME_IDEAL]
    layout = fit(FULL)
    assert keys(layout) == [c.key for c in INVOICE_COLUMNS]
    natural = [c.width if c.key != "customer" else NAME_IDEAL for c in INVOICE_COLUMNS]
    assert [size for _, size in layout] == natural
    assert keys(fit(FULL - 1)) != keys(layout)


def test_columns_keep_their_order_when_some_are_dropped() -> None:
    order = [c.key for c in INVOICE_COLUMNS]
    for width in range(40, 170):
        shown = keys(fit(width))
        assert shown == [key for key in order if key in shown], width


@pytest.mark.parametrize("width", range(ESSENTIAL, FULL + 10))
def test_columns_are_dropped_highest_priority_first(width: int) -> None:
    layout = fit(width)
    shown = {column.key for column, _ in layout}
    dropped = [c for c in INVOICE_COLUMNS if c.key not in shown]
    kept = [c for c in INVOICE_COLUMNS if c.key in shown]
    assert set(ALWAYS) <= shown
    if dropped:
        # Nothing dropped is more important than something kept.
        assert min(c.priority for c in dropped) > max(c.priority for c in kept)
        assert used(layout) == width  # what is left fills the width exactly
    else:
        assert used(layout) == max(width, FULL)
    # Keeping one more column (the next to go) would not have fitted, or, an optional one, would
    # have cut the customer's name below its ideal width.
    if dropped:
        next_back = min(dropped, key=lambda c: c.priority)
        without_spare = sum(c.width for c in kept) + SEPARATOR * (len(kept) - 1) + GUTTER
        with_it = without_spare + SEPARATOR + next_back.width
        name = next(c for c in INVOICE_COLUMNS if c.key == "customer")
        assert with_it > width or (
            next_back.priority >= OPTIONAL and name.width + width - with_it < name.ideal
        )


@pytest.mark.parametrize("width", range(ESSENTIAL, 200))
def test_optional_columns_give_way_to_the_customers_name(width: int) -> None:
    layout = dict((column.key, size) for column, size in fit(width))
    optional_shown = [c for c in INVOICE_COLUMNS if c.key in layout and c.priority >= OPTIONAL]
    if optional_shown:
        assert layout["customer"] >= 32, width


def test_drop_order() -> None:
    seen: list[str] = []
    for width in range(FULL, 50, -1):
        for key in (c.key for c in INVOICE_COLUMNS):
            if key not in keys(fit(width)) and key not in seen:
                seen.append(key)
    assert seen == [
        "created",
        "approval",
        "received",
        "sent",
        "invoice_date",
        "net",
        "status",
        "late",
    ]


def test_narrower_than_the_essentials_keeps_them_anyway() -> None:
    assert ESSENTIAL == 69  # the follow-up marker column (3) is one of them
    assert keys(fit(ESSENTIAL)) == ALWAYS
    layout = fit(40)
    assert keys(layout) == ALWAYS
    assert [size for _, size in layout] == [17, 3, 18, 11, 14]  # no negative spare


def test_the_filters_on_are_said_in_words() -> None:
    from enkash_tui.domain.invoice_filter import filter_words

    assert filter_words({}) == "no filter"
    assert filter_words({"receivable": "any", "customer": "  "}) == "no filter"
    words = filter_words(
        {
            "customer": "acme",
            "balance_from": "10000",
            "dispatched": "no",
            "created_via": "BULK",
            "approval": "pending",
        }
    )
    assert words == (
        "customer ~ acme · balance ≥ ₹10000 · Awaiting approval · Not dispatched · via Bulk upload"
    )


def test_a_queue_sorts_by_due_date_report_age_or_balance() -> None:
    from enkash_tui.api.models import Invoice
    from enkash_tui.domain.bharat_connect import sort_queue

    def invoice(name: str, due: str, balance: str, reported: str | None) -> Invoice:
        payment = (
            {"paymentId": f"P-{name}", "type": "OFFPLATFORM", "reportedOn": reported}
            if reported
            else None
        )
        return Invoice.model_validate(
            {
                "invoiceId": name,
                "dueDate": due,
                "balanceAmount": balance,
                "bharatConnect": {"status": "ACCEPTED", "objectVersion": 2,
                                  "reportedPayment": payment},
            }
        )  # fmt: skip

    a = invoice("A", "2026-10-01", "500.00", "2026-11-20T10:00:00Z")
    b = invoice("B", "2026-09-01", "9000.00", None)
    c = invoice("C", "2026-11-01", "1200.50", "2026-11-10T10:00:00Z")
    names = lambda rows: [i.invoice_id for i in rows]  # noqa: E731
    assert names(sort_queue([a, b, c], "due")) == ["B", "A", "C"]
    assert names(sort_queue([a, b, c], "age")) == ["C", "A", "B"]  # nothing reported: last
    assert names(sort_queue([a, b, c], "amount")) == ["B", "C", "A"]


def test_a_filters_words_light_up_no_preset() -> None:
    from screens.invoices.view import preset_bar

    def lit(label: str) -> list[str]:
        bar = preset_bar(label, narrow=False)
        return [bar.plain[s.start : s.end] for s in bar.spans if "reverse" in str(s.style)]

    assert lit("Open") == ["Open"]
    assert lit("All invoices") == ["All"]  # the preset's search is titled in full
    assert lit("Filtered: Not dispatched · Awaiting approval") == []
    assert lit("Customer: Allied Traders") == []


# -- a typed search on the whole result ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ("INV-2025-0007", NUMBER_FIELD),
        ("0007", NUMBER_FIELD),
        ("inv/2026-27/01483", NUMBER_FIELD),
        ("acme", CUSTOMER_FIELD),
        ("Acme Traders", CUSTOMER_FIELD),
        ("3M India", CUSTOMER_FIELD),  # a digit, but a space: a name
        ("  INV-7  ", NUMBER_FIELD),
        ("12000", NUMBER_FIELD),  # plain digits: more likely part of a number ("00283")
        ("₹12,000", AMOUNT_FIELD),
        ("1,50,000", AMOUNT_FIELD),
        ("12000.50", AMOUNT_FIELD),
        ("₹ 900", AMOUNT_FIELD),
        ("INV/2026-27/00283", NUMBER_FIELD),
    ],
)
def test_typed_text_searches_the_number_or_the_customer_by_its_shape(
    typed: str, field: str
) -> None:
    assert search_field(typed) == field


def test_narrowing_keeps_the_search_adds_the_text_and_leads_back() -> None:
    overdue = build("2").sorted_by("netAmount")
    by_number = narrowed(overdue, " INV-7 ")
    assert by_number.label == "Overdue · number ~ INV-7"
    assert wire(by_number) == wire(overdue) | {"invoiceNumber": "INV-7"}
    assert (by_number.order_by, by_number.descending) == ("netAmount", False)
    assert by_number.back is overdue

    # A second typed search replaces the first rather than piling on; back is still Overdue.
    by_name = narrowed(by_number, "Acme Traders")
    assert by_name.label == "Overdue · customer ~ Acme Traders"
    assert wire(by_name) == wire(overdue) | {"customerLegalName": "Acme Traders"}
    assert by_name.back is overdue
    # The way back does not make two searches differ.
    assert narrowed(overdue, "acme") == replace(narrowed(overdue, "acme"), back=None)


def test_an_amount_searches_that_balance_exactly() -> None:
    by_amount = narrowed(build("1"), "₹1,50,000.50")
    assert by_amount.label == "Open · balance = ₹1,50,000.50"
    wire_filters = wire(by_amount)
    assert wire_filters["balanceAmountFrom"] == wire_filters["balanceAmountTo"]
    assert str(wire_filters["balanceAmountFrom"]) in ("150000.5", "150000.50")


def test_a_field_the_search_already_filtered_is_replaced_and_the_title_says_so() -> None:
    acme = InvoiceQuery("Filtered: customer ~ acme", InvoiceFilter(customer_legal_name="acme"))
    other = narrowed(acme, "traders")
    assert wire(other)["customerLegalName"] == "traders"
    assert (
        other.label == "Filtered: customer ~ acme · customer ~ traders (in place of the filter's)"
    )
    assert narrowed(acme, "INV-7").label == "Filtered: customer ~ acme · number ~ INV-7"
