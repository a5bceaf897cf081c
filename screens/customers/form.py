"""New customer (``n``) and edit customer (``e``), key contacts and reminder rules included.

Documented patterns are checked as the person types (next to the field); on save the same models
the client sends judge the whole customer, and the server's field errors land in the same places,
down to the contact or rule they concern. An edit PATCHes only what changed. A failed save keeps
everything typed; leaving with unsaved edits asks first.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from enkash_tui import clock
from enkash_tui.api import field_errors_from_validation
from enkash_tui.api.models import Customer, CustomerCreate, CustomerFilter, CustomerUpdate
from enkash_tui.domain.customers import (
    CUSTOMER_FIELDS,
    CustomerValues,
    create_body,
    new_contact,
    new_rule,
    place_of,
    update_body,
    whole_problems,
)
from screens.record_form import RecordForm, same_scalars
from screens.widgets.form_controls import ButtonBar
from screens.widgets.form_rows import ContactRow, EntryRow, RuleRow, check_as_typed, field_row, say

if TYPE_CHECKING:
    from enkash_tui.api import EnkashClient
    from enkash_tui.api.models.base import WriteModel


class CustomerForm(RecordForm[Customer]):
    """Dismisses with the saved customer, or None when the user leaves."""

    def __init__(self, customer: Customer | None = None) -> None:
        super().__init__()
        self.original = customer
        self.start = CustomerValues.of(customer) if customer else CustomerValues.blank()

    @property
    def creating(self) -> bool:
        return self.original is None

    def compose(self) -> ComposeResult:
        original = self.original
        title = (
            "New customer"
            if original is None
            else f"Edit {original.legal_name or original.customer_id}"
        )
        self.title = title  # also names this form when quitting asks about unsaved edits
        with VerticalScroll(classes="modal form", id="customer-form"):
            yield Static(title, classes="title", markup=False)
            with Vertical(id="customer-fields"):
                for name, spec in CUSTOMER_FIELDS.items():
                    if spec.create if self.creating else spec.edit:
                        yield from field_row(name, spec, self.start.fields.get(name, ""))
            yield Static("Key contacts", classes="group", markup=False)
            yield Static(
                "Dispatches and reminders go to these people, by the channels ticked.",
                classes="hint-inline",
                markup=False,
            )
            with Vertical(id="contact-rows"):
                for values in self.start.contacts:
                    yield ContactRow(values)
            yield Static("", id="contacts-error", classes="row-error", markup=False)
            yield Button("Add contact", id="add-contact", compact=True)
            yield Static("Reminder rules", classes="group", markup=False)
            with Vertical(id="rule-rows"):
                for values in self.start.rules:
                    yield RuleRow(values)
            yield Static("", id="rules-error", classes="row-error", markup=False)
            yield Button("Add reminder rule", id="add-rule", compact=True)
            yield Static("", id="form-status", markup=False)
            with ButtonBar(classes="buttons"):
                yield Button("Save (Enter)", id="save", variant="primary", compact=True)
                yield Button("Close (Esc)", id="close", compact=True)

    def on_mount(self) -> None:
        self._renumber()
        self._clear_errors()  # hides the empty problem lines
        self.query_one("#customer-fields").query(Input).first(Input).focus()

    # -- values ------------------------------------------------------------------------------

    def _rows(self, kind: type[EntryRow]) -> list[EntryRow]:
        return list(self.query(kind))

    def current(self) -> CustomerValues:
        fields = {i.id: i.value for i in self.query_one("#customer-fields").query(Input) if i.id}
        return CustomerValues(
            fields=fields,
            contacts=[cast(ContactRow, row).values() for row in self._rows(ContactRow)],
            rules=[cast(RuleRow, row).values() for row in self._rows(RuleRow)],
        )

    @property
    def dirty(self) -> bool:
        now, start = self.current(), self.start
        shown = {name: start.fields.get(name, "") for name in now.fields}
        if now.fields != shown or len(now.contacts) != len(start.contacts):
            return True
        return create_body(now) != create_body(CustomerValues(shown, start.contacts, start.rules))

    # -- rows --------------------------------------------------------------------------------

    def _renumber(self) -> None:
        for kind in (ContactRow, RuleRow):
            for position, row in enumerate(self._rows(kind)):
                row.renumber(position)

    @on(Button.Pressed, "#add-contact")
    async def add_contact(self) -> None:
        await self._add(ContactRow(new_contact()), "#contact-rows")

    @on(Button.Pressed, "#add-rule")
    async def add_rule(self) -> None:
        await self._add(RuleRow(new_rule()), "#rule-rows")

    async def _add(self, row: EntryRow, where: str) -> None:
        await self.query_one(where).mount(row)
        self._renumber()
        row.first_input().focus()
        row.scroll_visible(animate=False)

    @on(Button.Pressed, ".remove-row")
    async def _remove(self, event: Button.Pressed) -> None:
        row = next((n for n in event.button.ancestors if isinstance(n, EntryRow)), None)
        if row is None:
            return
        add_button = "#add-contact" if isinstance(row, ContactRow) else "#add-rule"
        await row.remove()
        self._renumber()
        self.query_one(add_button).focus()

    # -- checks ------------------------------------------------------------------------------

    @on(Input.Changed)
    def _check_as_typed(self, event: Input.Changed) -> None:
        check_as_typed(event)

    def _clear_errors(self) -> None:
        for line in self.query(".filter-error, .row-error"):
            say(cast(Static, line), "")
        self.query_one("#form-status", Static).update("")

    def _show_errors(self, problems: list[tuple[str, str]], summary: str) -> None:
        """(wire field, message) pairs next to their fields, contacts and rules included; what
        has no place goes in the status line."""
        unplaced: list[str] = []
        first: Static | None = None
        rows = {"contacts": self._rows(ContactRow), "rules": self._rows(RuleRow)}
        for wire, message in problems:
            where, index, field = place_of(wire)
            line: Static | None = None
            if where == "fields" and self.query(f"#customer-fields #{field}-error"):
                line = self.query_one(f"#customer-fields #{field}-error", Static)
            elif where in rows and index is not None and index < len(rows[where]):
                row = rows[where][index]
                row.show_problem(field, message)
                first = first or cast(Static, row.query(".filter-error, .row-error").first())
                continue
            elif where in rows:
                line = self.query_one(f"#{where}-error", Static)
            if line is None:
                unplaced.append(f"{wire}: {message}")
                continue
            say(line, message)
            first = first or line
        self.query_one("#form-status", Static).update(" · ".join([summary, *unplaced]))
        if first is not None:
            first.scroll_visible(animate=False)

    def _payload(self) -> CustomerCreate | CustomerUpdate | None:
        now = self.current()
        model: type[CustomerCreate] | type[CustomerUpdate]
        if self.creating:
            model, body = CustomerCreate, create_body(now)
        else:
            model, body = CustomerUpdate, update_body(self.start, now)
        if self.creating and not now.contacts:
            self._show_errors(
                [("customerKeyContacts", "add at least one key contact")],
                "Please correct the marked fields",
            )
            return None
        try:
            payload = model.model_validate(body)
        except ValidationError as error:
            problems = [(e.field, e.message) for e in field_errors_from_validation(error, model)]
            self._show_errors(_without_echoes(problems), "Please correct the marked fields")
            return None
        whole = whole_problems(now, None if self.creating else self.start)
        if whole:
            self._show_errors(whole, "Please correct the marked fields")
            return None
        return payload

    # -- saving ------------------------------------------------------------------------------

    async def _find_saved(self, client: EnkashClient, payload: WriteModel) -> Customer | None:
        if isinstance(payload, CustomerCreate):
            # A customer of this exact name created in the last few minutes is this one.
            since = clock.now() - dt.timedelta(minutes=10)
            page = await client.search_customers(CustomerFilter(legal_name=payload.legal_name))
            return next(
                (c for c in page.items if c.legal_name == payload.legal_name
                 and c.created_on is not None and c.created_on >= since),
                None,
            )  # fmt: skip
        assert self.original is not None and isinstance(payload, CustomerUpdate)
        page = await client.search_customers(
            CustomerFilter(customer_ids=[self.original.customer_id]), limit=1
        )
        now = page.items[0] if page.items else None
        if now is None or not same_scalars(payload, now):
            return None
        return now

    def _can_tell(self, payload: WriteModel) -> bool:
        # Contacts and rules cannot be compared field by field: only scalar changes can be.
        lists = {"customer_key_contacts", "customer_reminders"}
        return isinstance(payload, CustomerCreate) or not (
            isinstance(payload, CustomerUpdate) and payload.changed_fields & lists
        )

    async def _send(self, client: EnkashClient, payload: WriteModel) -> Customer:
        if isinstance(payload, CustomerCreate):
            return await client.create_customer(payload)
        assert self.original is not None and isinstance(payload, CustomerUpdate)
        return await client.update_customer(self.original.customer_id, payload)


def _without_echoes(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A contact's legal name defaults to their name: when the name is missing, say so once."""
    fields = {wire for wire, _ in problems}
    return [
        (wire, message)
        for wire, message in problems
        if not (wire.endswith(".legalName") and wire.replace(".legalName", ".name") in fields)
    ]
