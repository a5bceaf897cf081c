"""How many examples a hypothesis property tries: the count set for CI, or ten times as many with
``HYPOTHESIS_PROFILE=deep`` (a longer hunt, run by hand: ``HYPOTHESIS_PROFILE=deep python -m
pytest tests/properties``)."""

from __future__ import annotations

import os

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"


def examples(ci: int) -> int:
    return ci * 10 if DEEP else ci
