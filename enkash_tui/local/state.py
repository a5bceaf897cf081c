"""Remembered choices: the last profile and username used to sign in, and the folder the last
export went to. Nothing secret."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from enkash_tui.local.locations import state_dir
from enkash_tui.local.private_files import write_private


@dataclass
class LocalState:
    last_profile: str | None = None
    last_username: str | None = None
    export_folder: str | None = None  # the folder the export dialog offers first

    @classmethod
    def load(cls, folder: Path | None = None) -> LocalState:
        path = (folder or state_dir()) / "state.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()  # first run, or a damaged file: start fresh rather than fail
        if not isinstance(data, dict):
            return cls()

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        return cls(
            last_profile=text("last_profile"),
            last_username=text("last_username"),
            export_folder=text("export_folder"),
        )

    def save(self, folder: Path | None = None) -> None:
        remembered = {key: value for key, value in asdict(self).items() if value is not None}
        write_private((folder or state_dir()) / "state.json", json.dumps(remembered))
