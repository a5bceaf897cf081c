"""Rupee amounts the Indian way (₹1,23,45,678.00): in the service layer so that its error
messages can name an amount as the screens do (``enkash_tui.domain.formatting`` re-exports
these)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def group_indian(digits: str) -> str:
    """``"12345678"`` -> ``"1,23,45,678"``: the last three digits, then groups of two."""
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join(groups) + "," + tail


def inr(amount: Decimal | int | float | None, *, symbol: bool = True, blank: str = "") -> str:
    """₹1,23,45,678.00 (two places, half-up); ``blank`` when there is no amount."""
    if amount is None:
        return blank
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, paise = f"{abs(value):.2f}".partition(".")
    return f"{sign}{'₹' if symbol else ''}{group_indian(whole)}.{paise}"
