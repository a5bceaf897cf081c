"""Every place the app reads or writes on this machine, in one module: its platformdirs folders
(each overridable by an environment variable, as tests and benchmarks do), the shipped assets,
and the default folder for exports. Nothing here writes; ``private_files`` does."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "enkash-tui"
CONFIG_ENV = "ENKASH_TUI_CONFIG"  # a config.toml path
STATE_ENV = "ENKASH_TUI_STATE_DIR"  # remembered choices (and, when isolated, the action log)
DATA_ENV = "ENKASH_TUI_DATA_DIR"  # the action log (the sandbox database takes --db instead)
CACHE_ENV = "ENKASH_TUI_CACHE_DIR"  # the customer cache and the open book

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # enkash_tui/


def _override(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def config_path() -> Path:
    """``$ENKASH_TUI_CONFIG``, else ``<user config dir>/enkash-tui/config.toml``."""
    return _override(CONFIG_ENV) or platformdirs.user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    """Where lasting local data (sandbox database, action log) lives."""
    return platformdirs.user_data_path(APP_NAME)


def state_dir() -> Path:
    return _override(STATE_ENV) or platformdirs.user_state_path(APP_NAME)


def cache_dir() -> Path:
    return _override(CACHE_ENV) or platformdirs.user_cache_path(APP_NAME)


def log_dir() -> Path:
    """``$ENKASH_TUI_DATA_DIR``; else ``$ENKASH_TUI_STATE_DIR`` (an isolated run: tests and
    benchmarks set it, and their changes must not land in the user's real log); else the user
    data dir (``~/.local/share/enkash-tui``)."""
    return _override(DATA_ENV) or _override(STATE_ENV) or data_dir()


def app_dirs() -> set[Path]:
    """The app's own platformdirs folders (config, state, data, cache)."""
    return {
        platformdirs.user_config_path(APP_NAME),
        platformdirs.user_state_path(APP_NAME),
        platformdirs.user_data_path(APP_NAME),
        platformdirs.user_cache_path(APP_NAME),
    }


def default_export_folder(remembered: str | None = None) -> Path:
    """The folder last chosen, else downloads, else documents if only that exists."""
    if remembered:
        return Path(remembered).expanduser()
    downloads = Path(platformdirs.user_downloads_dir())
    if not downloads.is_dir():
        documents = Path(platformdirs.user_documents_dir())
        if documents.is_dir():
            return documents
    return downloads  # created by the export when it does not exist yet


def assets_dir() -> Path:
    """``enkash_tui/assets`` in a wheel install; the repository's ``assets/`` when editable."""
    for candidate in (_PACKAGE_DIR / "assets", _PACKAGE_DIR.parent / "assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("enkash-tui's assets folder is missing from this installation")


def asset(name: str) -> Path:
    path = assets_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"asset {name!r} is missing from {path.parent}")
    return path
