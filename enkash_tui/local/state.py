"""Remembered choices: the last profile and username used to sign in. Nothing secret."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from ..config import APP_NAME
from ..files import write_private

STATE_ENV = "ENKASH_TUI_STATE_DIR"


def state_dir() -> Path:
    override = os.environ.get(STATE_ENV)
    return Path(override) if override else platformdirs.user_state_path(APP_NAME)


@dataclass
class LocalState:
    last_profile: str | None = None
    last_username: str | None = None

    @classmethod
    def load(cls, folder: Path | None = None) -> LocalState:
        path = (folder or state_dir()) / "state.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()  # first run, or a damaged file: start fresh rather than fail
        return cls(
            last_profile=data.get("last_profile") if isinstance(data, dict) else None,
            last_username=data.get("last_username") if isinstance(data, dict) else None,
        )

    def save(self, folder: Path | None = None) -> None:
        write_private((folder or state_dir()) / "state.json", json.dumps(asdict(self)))
