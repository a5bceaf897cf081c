"""Settings and connection profiles, read from a TOML file found with platformdirs.

Secrets never live here: the client secret comes from ``ENKASH_CLIENT_SECRET`` or the sign-in
form, the password only from the sign-in form. The file is written with mode 0600 all the same.

Plain dataclasses with explicit checks rather than pydantic: this module is on the path to the
first paint of the sign-in screen, and importing pydantic there costs more than the whole screen.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from enkash_tui.api.patterns import COMPANY_ID_PATTERN
from enkash_tui.api.routes import build_routes
from enkash_tui.api.urls import check_base_url, url_host
from enkash_tui.local.locations import config_path
from enkash_tui.local.private_files import write_private

SECRET_ENV = "ENKASH_CLIENT_SECRET"
_SECRET_KEYS = frozenset({"client_secret", "clientSecret", "password", "secret"})
# EnKash's documented live hosts (enkash-ar-api.md §1.1).
PRODUCTION_HOSTS = frozenset({"api.enkash.in", "pay.enkash.in"})
SANDBOX_PROFILE = "Sandbox"
SANDBOX_URL = "http://127.0.0.1:8765"
Environment = Literal["production", "test", "sandbox"]
ENVIRONMENTS: tuple[Environment, ...] = ("production", "test", "sandbox")


class ProfileError(ValueError):
    """One bad profile setting: ``field`` names it so a form or message can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ConfigError(ValueError):
    """The config file exists but cannot be used; the message says where and why."""


def _text(data: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise ProfileError(key, "is required")
        return None
    if not isinstance(value, str):
        raise ProfileError(key, "must be text")
    return value.strip()


def _flag(data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ProfileError(key, "must be true or false")
    return value


def _seconds(data: dict[str, Any], key: str, default: float, most: int) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not (0 < value <= most):
        raise ProfileError(key, f"must be a number of seconds, 1 to {most}")
    return float(value)


@dataclass(frozen=True)
class Profile:
    """One EnKash connection: where to reach it and as which client."""

    name: str
    base_url: str  # API root, https only (http allowed for loopback)
    client_id: str  # the EnKash client id (CEK… form)
    username: str | None = None  # pre-filled at sign-in
    company_id: str | None = None  # tenancy query parameters (CEK…), when EnKash needs them
    seller_id: str | None = None
    parent_company_id: str | None = None
    encrypt_payloads: bool = False  # AES payload wrapping as the Payouts guide documents
    timeout_seconds: float = 20.0  # per read: how long EnKash may stay silent
    deadline_seconds: float = 30.0  # per call, in all: however slowly EnKash answers
    verify_tls: bool = True  # never turn off against real EnKash
    routes: dict[str, str] = field(default_factory=dict)  # operation -> "METHOD /path"
    environment: Environment | None = None  # shown in the header; guessed from the URL
    readonly: bool = False  # hide and refuse every change
    # The follow-up book: a shared SQLite file (a team on one host), else one of its own.
    worklog_db: str | None = None

    FIELDS = (
        "base_url", "client_id", "username", "company_id", "seller_id", "parent_company_id",
        "encrypt_payloads", "timeout_seconds", "deadline_seconds", "verify_tls", "routes",
        "environment", "readonly", "worklog_db",
    )  # fmt: skip

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> Profile:
        """Validate a ``[profiles.NAME]`` table (or form values); raises ProfileError."""
        secrets = _SECRET_KEYS & data.keys()
        if secrets:
            raise ProfileError(
                sorted(secrets)[0],
                f"secrets are not read from the config file: set {SECRET_ENV} "
                "or type the client secret at sign-in",
            )
        unknown = sorted(set(data) - set(cls.FIELDS) - {"name"})
        if unknown:
            raise ProfileError(unknown[0], f"unknown setting; known: {', '.join(cls.FIELDS)}")
        base_url = cast(str, _text(data, "base_url", required=True)).rstrip("/")
        try:
            check_base_url(base_url)
        except ValueError as error:
            raise ProfileError("base_url", str(error)) from None
        tenancy = {}
        for key in ("company_id", "seller_id", "parent_company_id"):
            value = _text(data, key)
            if value is not None and not re.fullmatch(COMPANY_ID_PATTERN, value):
                raise ProfileError(key, f"{value!r} is not a CEK… company id")
            tenancy[key] = value
        timeout = _seconds(data, "timeout_seconds", 20.0, 300)
        deadline = _seconds(data, "deadline_seconds", 30.0, 600)
        routes = data.get("routes") or {}
        if not isinstance(routes, dict) or not all(isinstance(v, str) for v in routes.values()):
            raise ProfileError("routes", 'must map operations to "METHOD /path" text')
        try:
            build_routes(routes)
        except ValueError as error:
            raise ProfileError("routes", str(error)) from None
        environment = data.get("environment")
        if environment is not None and environment not in ENVIRONMENTS:
            raise ProfileError("environment", f"must be one of {', '.join(ENVIRONMENTS)}")
        return cls(
            name=name,
            base_url=base_url,
            client_id=cast(str, _text(data, "client_id", required=True)),
            username=_text(data, "username"),
            encrypt_payloads=_flag(data, "encrypt_payloads", False),
            timeout_seconds=timeout,
            deadline_seconds=deadline,
            verify_tls=_flag(data, "verify_tls", True),
            routes=dict(routes),
            environment=cast("Environment | None", environment),
            readonly=_flag(data, "readonly", False),
            worklog_db=_text(data, "worklog_db"),
            **tenancy,
        )

    def to_dict(self) -> dict[str, Any]:
        """The settings that differ from the defaults, as a config table holds them."""
        defaults = Profile(name="", base_url="", client_id="")
        return {
            key: getattr(self, key)
            for key in self.FIELDS
            if key in ("base_url", "client_id") or getattr(self, key) != getattr(defaults, key)
        }

    def with_changes(self, **changes: Any) -> Profile:
        """A validated copy, e.g. with what the sign-in form says."""
        return Profile.from_dict(self.name, {**self.to_dict(), **changes})

    @property
    def kind(self) -> Environment:
        """The environment, guessed from the host when the profile does not say."""
        if self.environment:
            return self.environment
        host = url_host(self.base_url)
        if host in PRODUCTION_HOSTS:
            return "production"
        if host in ("127.0.0.1", "localhost", "::1"):
            return "sandbox"
        return "test"


def sandbox_profile(base_url: str = SANDBOX_URL) -> Profile:
    """The built-in profile for the local sandbox (``enkash-tui sandbox`` or ``--sandbox``)."""
    from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_USERNAME

    return Profile(
        name=SANDBOX_PROFILE,
        base_url=base_url,
        client_id=DEMO_CLIENT_ID,
        username=DEMO_USERNAME,
        company_id=DEMO_CLIENT_ID,  # the demo company's client id is its company id
        environment="sandbox",
    )


@dataclass
class Settings:
    """Everything in config.toml."""

    default_profile: str | None = None
    theme: str = "textual-dark"  # any Textual theme, e.g. ansi-dark
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys
    profiles: dict[str, Profile] = field(default_factory=dict)
    # Where the Home aging buckets end, in days overdue: 30, 60, 90 give 1-30 / 31-60 / 61-90 /
    # 90+ (plus Current, not yet due).
    aging_buckets: tuple[int, ...] = (30, 60, 90)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        unknown = sorted(set(data) - {f.name for f in dataclasses.fields(cls)})
        if unknown:
            raise ConfigError(f"unknown setting {unknown[0]!r}")
        tables = data.get("profiles") or {}
        profiles = {}
        for name, body in tables.items():
            if not isinstance(body, dict):
                raise ConfigError(f"[profiles.{name}] must be a table")
            try:
                profiles[name] = Profile.from_dict(name, body)
            except ProfileError as error:
                raise ConfigError(f"profiles.{name}.{error.field}: {error.message}") from None
        keymap = data.get("keymap") or {}
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()):
            raise ConfigError('[keymap] maps binding ids to keys, e.g. "app.quit" = "q,f10"')
        default = data.get("default_profile")
        if default is not None and default not in profiles and default != SANDBOX_PROFILE:
            raise ConfigError(f"default_profile {default!r} is not a profile in the file")
        buckets = data.get("aging_buckets", [30, 60, 90])
        if (
            not isinstance(buckets, list)
            or not buckets
            # bool is an int in Python: true must not pass for 1
            or not all(isinstance(b, int) and not isinstance(b, bool) and b > 0 for b in buckets)
            or buckets != sorted(set(buckets))
        ):
            raise ConfigError("aging_buckets: rising whole numbers of days, e.g. [30, 60, 90]")
        return cls(
            default,
            str(data.get("theme") or "textual-dark"),
            dict(keymap),
            profiles,
            tuple(buckets),
        )

    def profile(self, name: str | None = None) -> Profile | None:
        wanted = name or self.default_profile
        if wanted:
            return self.profiles.get(wanted)
        return next(iter(self.profiles.values()), None)


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    if not path.exists():
        return Settings()
    import tomllib  # here: a start without a config file does without it

    try:
        return Settings.from_dict(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValueError) as error:
        raise ConfigError(f"{path}: {error}") from None


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def dump_settings(settings: Settings) -> str:
    lines: list[str] = []
    if settings.default_profile:
        lines.append(f"default_profile = {_toml_value(settings.default_profile)}")
    if settings.theme != "textual-dark":
        lines.append(f"theme = {_toml_value(settings.theme)}")
    if settings.aging_buckets != (30, 60, 90):
        lines.append(f"aging_buckets = [{', '.join(str(b) for b in settings.aging_buckets)}]")
    if settings.keymap:
        lines += ["", "[keymap]"]
        lines += [f"{_toml_value(k)} = {_toml_value(v)}" for k, v in settings.keymap.items()]
    lines.append("")
    for name, profile in settings.profiles.items():
        data = profile.to_dict()
        routes = data.pop("routes", {})
        lines.append(f"[profiles.{_toml_value(name)}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in data.items()]
        if routes:
            lines.append(f"\n[profiles.{_toml_value(name)}.routes]")
            lines += [f"{op} = {_toml_value(spec)}" for op, spec in routes.items()]
        lines.append("")
    return "\n".join(lines)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write config.toml readable by the owner only (0600), atomically."""
    path = path or config_path()
    write_private(path, dump_settings(settings))
    return path


def client_secret_from_env() -> str | None:
    """``ENKASH_CLIENT_SECRET``: kept in memory only, shown masked on the sign-in form."""
    return os.environ.get(SECRET_ENV) or None
