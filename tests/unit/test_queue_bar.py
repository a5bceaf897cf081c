"""The Bharat Connect queue bar stays one line at any width from 80 columns, every count and
the open queue's name always on it (``screens.bharat_connect.view.queue_bar``); a reported
payment's type is read as EnKash said it, never guessed."""

from __future__ import annotations

import pytest

from enkash_tui.api.models import PaymentType, ReportedPayment
from enkash_tui.domain.bharat_connect import QUEUES, payment_type
from screens.bharat_connect.view import queue_bar


@pytest.mark.parametrize("width", [80, 100, 120, 160, 200])
@pytest.mark.parametrize("count", [0, 7, 42, 999, 12_345, 1_000_000])
@pytest.mark.parametrize("current", ["1", "5"])
def test_the_bar_fits_its_width_and_shows_every_count(width: int, count: int, current: str) -> None:
    bar = queue_bar({queue.key: count + int(queue.key) for queue in QUEUES}, current, width=width)
    assert "\n" not in bar.plain
    assert bar.cell_len <= width, bar.plain
    for queue in QUEUES:
        assert f" {count + int(queue.key)}" in bar.plain
    open_queue = next(q for q in QUEUES if q.key == current)
    assert (
        f"{current} {open_queue.short}" in bar.plain or f"{current} {open_queue.label}" in bar.plain
    )
    [lit] = [span for span in bar.spans if "reverse" in str(span.style)]  # one queue is lit
    assert bar.plain[lit.start : lit.end].startswith(current)


def test_wide_terminals_get_the_full_labels_and_narrow_ones_the_short() -> None:
    counts = {queue.key: 3 for queue in QUEUES}
    wide = queue_bar(counts, "1", width=160).plain
    assert all(queue.label in wide for queue in QUEUES)
    narrow = queue_bar(counts, "1", width=80).plain
    assert all(f"{queue.key} {queue.short} 3" in narrow for queue in QUEUES)


def test_counts_still_loading_show_an_ellipsis() -> None:
    bar = queue_bar({}, "1", width=80).plain
    assert bar.count("…") == len(QUEUES)


@pytest.mark.parametrize(
    ("said", "kind"),
    [("OFFPLATFORM", PaymentType.OFFPLATFORM), (" onplatform ", PaymentType.ONPLATFORM),
     ("UPI", None), ("", None), (None, None)],
)  # fmt: skip
def test_a_payment_type_is_read_never_guessed(said: str | None, kind: PaymentType | None) -> None:
    payment = ReportedPayment.model_validate({"paymentId": "PMT1", "type": said})
    assert payment_type(payment) is kind
