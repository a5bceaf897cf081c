"""Injected faults, for trying the app (and testing it) against a slow or failing EnKash."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import defaultdict, deque

from enkash_tui.sandbox.settings import SandboxSettings


class Faults:
    def __init__(self, settings: SandboxSettings) -> None:
        self.latency = settings.latency_ms / 1000
        self.failure_rate = settings.failure_rate
        self.rate_limit = settings.rate_limit
        self._random = random.Random(settings.fault_seed)
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    async def delay(self) -> None:
        if self.latency > 0:
            await asyncio.sleep(self.latency)

    def retry_after(self, token: str) -> float | None:
        """Seconds to wait if ``token`` is over its per-second budget, else None."""
        if self.rate_limit <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            calls = self._calls[token]
            while calls and calls[0] <= now - 1.0:
                calls.popleft()
            if len(calls) >= self.rate_limit:
                return max(0.05, 1.0 - (now - calls[0]))
            calls.append(now)
        return None

    def failure_status(self) -> int | None:
        """500 or 503 for the configured share of calls."""
        if self.failure_rate <= 0:
            return None
        with self._lock:
            if self._random.random() >= self.failure_rate:
                return None
            return self._random.choice((500, 503))
