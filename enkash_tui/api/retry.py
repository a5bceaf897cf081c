"""When and how long to wait before trying an idempotent call again."""

from __future__ import annotations

import math
from dataclasses import dataclass

import httpx

# HTTP statuses worth another try: rate limiting and the server-side failures that pass.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Transport failures where the request provably never reached the server.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff. Applied only to routes marked idempotent."""

    attempts: int = 3
    backoff_seconds: float = 0.25
    max_delay_seconds: float = 4.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        if retry_after is not None and not math.isnan(retry_after):
            return min(max(retry_after, 0.0), self.max_delay_seconds)
        return float(min(self.backoff_seconds * 2 ** (attempt - 1), self.max_delay_seconds))


NO_RETRY = RetryPolicy(attempts=1)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta form only; dates are ignored)."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    # "nan", "inf" and negatives would escape the cap or make no sense.
    return seconds if seconds is not None and math.isfinite(seconds) and seconds >= 0 else None
