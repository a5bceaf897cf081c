"""How a sandbox runs: where, on which data, and which faults it injects.

Every fault knob can also come from the environment (``ENKASH_SANDBOX_*``), so a test or a
person can make the sandbox slow, flaky or strict without changing a command line.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from enkash_tui.local.locations import data_dir

TOKEN_SHAPES = ("snake", "camel", "envelope")


def default_db_path() -> Path:
    return data_dir() / "sandbox.db"


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


@dataclass
class SandboxSettings:
    host: str = "127.0.0.1"
    port: int = 8765
    db_path: Path = field(default_factory=default_db_path)
    reset: bool = False
    invoices: int = 5000
    customers: int = 200
    # Faults and behaviour knobs.
    latency_ms: float = 0.0
    failure_rate: float = 0.0  # share of API calls answered 500/503
    rate_limit: float = 0.0  # API calls per second per token before 429; 0 = unlimited
    token_ttl: int = 86399  # seconds, as in EnKash's sample token
    lockout_seconds: int = 300  # after 3 failed sign-ins in a row
    token_shape: str = "snake"  # snake | camel | envelope (the three documented shapes)
    encrypt: bool = False  # AES payload encryption for the demo client
    fault_seed: int | None = None  # makes injected failures repeatable
    today: dt.date | None = None  # the seed's "today" (tests pin it for stable pictures)
    # Seconds between simulated buyer actions on Bharat Connect invoices; 0 = no buyer.
    buyer_every: float = 0.0

    def __post_init__(self) -> None:
        if self.token_shape not in TOKEN_SHAPES:
            raise ValueError(f"token shape must be one of {', '.join(TOKEN_SHAPES)}")
        if not 0 <= self.failure_rate <= 1:
            raise ValueError("failure rate must be between 0 and 1")
        if self.buyer_every < 0:
            raise ValueError("buyer_every must be 0 (off) or a number of seconds")

    @classmethod
    def from_env(cls, **overrides: object) -> SandboxSettings:
        """Defaults, then ``ENKASH_SANDBOX_*`` variables, then explicit overrides."""
        env = {
            "latency_ms": _env_float("ENKASH_SANDBOX_LATENCY_MS", 0.0),
            "failure_rate": _env_float("ENKASH_SANDBOX_FAILURE_RATE", 0.0),
            "rate_limit": _env_float("ENKASH_SANDBOX_RATE_LIMIT", 0.0),
            "token_ttl": int(_env_float("ENKASH_SANDBOX_TOKEN_TTL", 86399)),
            "lockout_seconds": int(_env_float("ENKASH_SANDBOX_LOCKOUT_SECONDS", 300)),
            "token_shape": os.environ.get("ENKASH_SANDBOX_TOKEN_SHAPE") or "snake",
            "encrypt": os.environ.get("ENKASH_SANDBOX_ENCRYPT", "") in ("1", "true", "yes"),
            "buyer_every": _env_float("ENKASH_SANDBOX_BUYER_EVERY", 0.0),
        }
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)  # type: ignore[arg-type]
