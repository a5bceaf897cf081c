"""Bharat Connect 2.0 AR operations (§4.23–4.24)."""

from __future__ import annotations

from enkash_tui.api.models import InvoiceActionResult, InvoiceStatusChange, PaymentConfirmation
from enkash_tui.api.operations.base import Operations, action_result


class BharatConnectOperations(Operations):
    async def confirm_payment(
        self, confirmation: PaymentConfirmation, *, seller_id: str | None = None
    ) -> InvoiceActionResult:
        reply = await self._caller.call(
            "confirm_payment", query=self._seller(seller_id), json_body=confirmation.to_wire()
        )
        return action_result(reply)

    async def change_invoice_status(
        self, change: InvoiceStatusChange, *, seller_id: str | None = None
    ) -> InvoiceActionResult:
        reply = await self._caller.call(
            "change_invoice_status", query=self._seller(seller_id), json_body=change.to_wire()
        )
        return action_result(reply)
