"""Settings and connection profiles, read from a TOML file found with platformdirs.

Secrets never live here: the client secret comes from ``ENKASH_CLIENT_SECRET`` or the sign-in
form, the password only from the sign-in form. The file is written with mode 0600 all the same.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import httpx
import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from .api import EnkashClient, build_routes, check_base_url
from .api.models.base import COMPANY_ID_PATTERN

APP_NAME = "enkash-tui"
CONFIG_ENV = "ENKASH_TUI_CONFIG"
SECRET_ENV = "ENKASH_CLIENT_SECRET"
_SECRET_KEYS = {"client_secret", "clientSecret", "password", "secret"}
# EnKash's documented live hosts (enkash-ar-api.md §1.1).
PRODUCTION_HOSTS = frozenset({"api.enkash.in", "pay.enkash.in"})
SANDBOX_PROFILE = "Sandbox"
SANDBOX_URL = "http://127.0.0.1:8765"


def config_path() -> Path:
    """``$ENKASH_TUI_CONFIG``, else ``<user config dir>/enkash-tui/config.toml``."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    """Where local state (sandbox database, caches, action log) lives."""
    return platformdirs.user_data_path(APP_NAME)


class Profile(BaseModel):
    """One EnKash connection: where to reach it and as which client."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Short name shown on the sign-in screen.")
    base_url: str = Field(description="API root, e.g. https://ekpayout-uat.enkash.in (https only).")
    client_id: str = Field(description="The EnKash client id (CEK… form).")
    username: str | None = Field(default=None, description="Pre-filled sign-in e-mail.")
    company_id: str | None = Field(default=None, pattern=COMPANY_ID_PATTERN)
    seller_id: str | None = Field(default=None, pattern=COMPANY_ID_PATTERN)
    parent_company_id: str | None = Field(default=None, pattern=COMPANY_ID_PATTERN)
    encrypt_payloads: bool = Field(
        default=False, description="Wrap JSON bodies with AES as the Payouts guide documents."
    )
    timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    verify_tls: bool = Field(default=True, description="Never turn off against real EnKash.")
    routes: dict[str, str] = Field(
        default_factory=dict,
        description="Per-operation overrides, e.g. deactivate_customer = 'PUT /path/{customerId}'.",
    )
    environment: Literal["production", "test", "sandbox"] | None = Field(
        default=None,
        description="Shown in the header; production gets a red PROD badge. Guessed from the URL.",
    )
    readonly: bool = Field(default=False, description="Hide and refuse every change.")

    @property
    def kind(self) -> Literal["production", "test", "sandbox"]:
        """The environment, guessed from the host when the profile does not say."""
        if self.environment:
            return self.environment
        host = httpx.URL(self.base_url).host
        if host in PRODUCTION_HOSTS:
            return "production"
        if host in ("127.0.0.1", "localhost", "::1"):
            return "sandbox"
        return "test"

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict) and _SECRET_KEYS & data.keys():
            raise ValueError(
                "secrets are not read from the config file: set "
                f"{SECRET_ENV} or type the client secret at sign-in"
            )
        return data

    @field_validator("base_url")
    @classmethod
    def _https_only(cls, value: str) -> str:
        check_base_url(value)
        return value.rstrip("/")

    @field_validator("routes")
    @classmethod
    def _known_routes(cls, value: dict[str, str]) -> dict[str, str]:
        build_routes(value)
        return value

    def client(self, client_secret: SecretStr) -> EnkashClient:
        return EnkashClient(
            self.base_url,
            self.client_id,
            client_secret,
            timeout=self.timeout_seconds,
            encrypt_payloads=self.encrypt_payloads,
            route_overrides=self.routes,
            verify_tls=self.verify_tls,
            company_id=self.company_id,
            seller_id=self.seller_id,
            parent_company_id=self.parent_company_id,
        )


def sandbox_profile(base_url: str = SANDBOX_URL) -> Profile:
    """The built-in profile for the local sandbox (``enkash-tui sandbox`` or ``--sandbox``)."""
    from .sandbox_demo import DEMO_CLIENT_ID, DEMO_USERNAME

    return Profile(
        name=SANDBOX_PROFILE,
        base_url=base_url,
        client_id=DEMO_CLIENT_ID,
        username=DEMO_USERNAME,
        environment="sandbox",
    )


class Settings(BaseModel):
    """Everything in config.toml."""

    model_config = ConfigDict(extra="forbid")

    default_profile: str | None = None
    theme: str = Field(default="textual-dark", description="Any Textual theme, e.g. ansi-dark.")
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description="Binding id -> keys, e.g. 'section.invoices' = 'f4,ctrl+i'.",
    )
    profiles: dict[str, Profile] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _names_from_tables(cls, data: Any) -> Any:
        # [profiles.uat] tables: the table name is the profile name.
        if isinstance(data, dict) and isinstance(data.get("profiles"), dict):
            profiles = {
                name: {"name": name, **body} if isinstance(body, dict) else body
                for name, body in data["profiles"].items()
            }
            data = {**data, "profiles": profiles}
        return data

    def profile(self, name: str | None = None) -> Profile | None:
        wanted = name or self.default_profile
        if wanted:
            return self.profiles.get(wanted)
        return next(iter(self.profiles.values()), None)


class ConfigError(ValueError):
    """The config file exists but cannot be used; the message says where and why."""


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    if not path.exists():
        return Settings()
    try:
        return Settings.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
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
    if settings.keymap:
        lines += ["", "[keymap]"]
        lines += [f"{_toml_value(k)} = {_toml_value(v)}" for k, v in settings.keymap.items()]
    lines.append("")
    for name, profile in settings.profiles.items():
        lines.append(f"[profiles.{_toml_value(name)}]")
        data = profile.model_dump(exclude={"name", "routes"}, exclude_defaults=True)
        lines += [f"{key} = {_toml_value(value)}" for key, value in data.items()]
        if profile.routes:
            lines.append(f"\n[profiles.{_toml_value(name)}.routes]")
            lines += [f"{op} = {_toml_value(spec)}" for op, spec in profile.routes.items()]
        lines.append("")
    return "\n".join(lines)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write config.toml readable by the owner only (0600), atomically."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(dump_settings(settings))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def client_secret_from_env() -> SecretStr | None:
    value = os.environ.get(SECRET_ENV)
    return SecretStr(value) if value else None
