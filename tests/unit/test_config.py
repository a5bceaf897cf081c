"""Config file, profiles, remembered state and the launcher's choices (no Textual needed)."""

from __future__ import annotations

import argparse
import stat
from pathlib import Path

import pytest

from enkash_tui.config import (
    SANDBOX_PROFILE,
    ConfigError,
    Profile,
    ProfileError,
    Settings,
    dump_settings,
    load_settings,
    sandbox_profile,
    save_settings,
)
from enkash_tui.launch import _choose, available_profiles, initial_prefill
from enkash_tui.local.locations import config_path
from enkash_tui.local.state import LocalState

UAT = """
default_profile = "uat"
theme = "ansi-dark"

[keymap]
"section.invoices" = "f4,ctrl+i"

[profiles.uat]
base_url = "https://ekpayout-uat.enkash.in/"
client_id = "CEKFOWV7UQ"
username = "collections@acme.in"
seller_id = "CEKFOWV7UQ"
timeout_seconds = 30

[profiles.uat.routes]
deactivate_customer = "POST /api/v1/customer/{customerId}/deactivate"

[profiles.live]
base_url = "https://api.enkash.in"
client_id = "CEKLIVE001"
readonly = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_config_loads_with_every_setting(tmp_path):
    settings = load_settings(write(tmp_path, UAT))

    assert settings.default_profile == "uat"
    assert settings.theme == "ansi-dark"
    assert settings.keymap == {"section.invoices": "f4,ctrl+i"}
    uat = settings.profiles["uat"]
    assert uat.base_url == "https://ekpayout-uat.enkash.in"  # trailing slash dropped
    assert uat.seller_id == "CEKFOWV7UQ"
    assert uat.timeout_seconds == 30.0
    assert uat.routes == {"deactivate_customer": "POST /api/v1/customer/{customerId}/deactivate"}
    assert uat.kind == "test"
    live = settings.profiles["live"]
    assert live.kind == "production" and live.readonly


def test_a_missing_file_means_no_profiles(tmp_path):
    assert load_settings(tmp_path / "absent.toml") == Settings()


@pytest.mark.parametrize(
    ("table", "where"),
    [
        ('base_url = "http://enkash.example.in"\nclient_id = "CEKFOWV7UQ"', "base_url"),
        ('base_url = "https://x.in"', "client_id"),
        ('base_url = "https://x.in"\nclient_id = "C"\nseller_id = "X1"', "seller_id"),
        ('base_url = "https://x.in"\nclient_id = "C"\ntimeout_seconds = 0', "timeout_seconds"),
        ('base_url = "https://x.in"\nclient_id = "C"\nverify_tls = "no"', "verify_tls"),
        ('base_url = "https://x.in"\nclient_id = "C"\nenvironment = "prod"', "environment"),
        ('base_url = "https://x.in"\nclient_id = "C"\ncolour = "red"', "colour"),
        ('base_url = "https://x.in"\nclient_id = "C"\nclient_secret = "s3cret"', "client_secret"),
        ('base_url = "https://x.in"\nclient_id = "C"\npassword = "s3cret"', "password"),
    ],
)
def test_a_bad_profile_names_the_file_profile_and_setting(tmp_path, table, where):
    path = write(tmp_path, f"[profiles.uat]\n{table}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"profiles.uat.{where}" in message
    assert "s3cret" not in message


def test_unknown_route_operations_and_bad_specs_are_refused(tmp_path):
    bad_op = '[profiles.uat]\nbase_url = "https://x.in"\nclient_id = "C"\n[profiles.uat.routes]\n'
    with pytest.raises(ConfigError, match="unknown operation"):
        load_settings(write(tmp_path, bad_op + 'deactivate = "PUT /x"\n'))
    with pytest.raises(ConfigError, match="must start with"):
        load_settings(write(tmp_path, bad_op + 'deactivate_customer = "PUT x"\n'))


def test_broken_toml_and_unknown_top_level_settings_are_reported(tmp_path):
    with pytest.raises(ConfigError, match=r"config\.toml"):
        load_settings(write(tmp_path, "[profiles.uat\n"))
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_settings(write(tmp_path, 'colour = "red"\n'))
    with pytest.raises(ConfigError, match="default_profile 'nope'"):
        load_settings(write(tmp_path, 'default_profile = "nope"\n'))


def test_settings_round_trip_through_a_0600_file(tmp_path):
    settings = load_settings(write(tmp_path, UAT))
    path = save_settings(settings, tmp_path / "out" / "config.toml")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(path) == settings
    assert "password" not in dump_settings(settings)


def test_profile_with_changes_validates_what_the_form_typed():
    profile = sandbox_profile("http://127.0.0.1:9999")
    changed = profile.with_changes(username="someone@example.com")
    assert changed.username == "someone@example.com"
    assert changed.kind == "sandbox"

    with pytest.raises(ProfileError) as caught:
        profile.with_changes(base_url="http://example.com")
    assert caught.value.field == "base_url"
    assert "https" in caught.value.message


def test_environment_is_guessed_from_the_host_unless_set():
    def kind(url: str, **extra: object) -> str:
        return Profile.from_dict("p", {"base_url": url, "client_id": "C", **extra}).kind

    assert kind("https://api.enkash.in") == "production"
    assert kind("https://ekpayout-uat.enkash.in") == "test"
    assert kind("http://localhost:8765") == "sandbox"
    assert kind("https://ekpayout-uat.enkash.in", environment="production") == "production"


def test_connect_gives_a_client_with_the_profile_settings():
    profile = Profile.from_dict(
        "uat",
        {
            "base_url": "https://x.in",
            "client_id": "CEKFOWV7UQ",
            "seller_id": "CEKFOWV7UQ",
            "readonly": True,
            "routes": {"get_invoice": "GET /v2/invoice/{invoiceId}"},
        },
    )
    from pydantic import SecretStr

    from enkash_tui.session import connect

    client = connect(profile, SecretStr("s"))
    assert client.base_url == "https://x.in"
    assert client.seller_id == "CEKFOWV7UQ"
    assert client.readonly
    assert client.routes["get_invoice"].path == "/v2/invoice/{invoiceId}"


def test_config_path_follows_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("ENKASH_TUI_CONFIG", str(tmp_path / "c.toml"))
    assert config_path() == tmp_path / "c.toml"
    monkeypatch.delenv("ENKASH_TUI_CONFIG")
    assert config_path().name == "config.toml"
    assert "enkash-tui" in str(config_path())


def test_local_state_remembers_profile_and_username_only(tmp_path):
    LocalState("uat", "collections@acme.in").save(tmp_path)

    path = tmp_path / "state.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert LocalState.load(tmp_path) == LocalState("uat", "collections@acme.in")
    path.write_text("{not json", encoding="utf-8")
    assert LocalState.load(tmp_path) == LocalState()


def test_the_sandbox_profile_comes_first_and_user_profiles_follow(tmp_path):
    settings = load_settings(write(tmp_path, UAT))
    profiles = available_profiles(settings, "http://127.0.0.1:4321")

    assert list(profiles) == [SANDBOX_PROFILE, "uat", "live"]
    assert profiles[SANDBOX_PROFILE].base_url == "http://127.0.0.1:4321"


def test_prefill_offers_demo_secrets_and_the_env_client_secret(monkeypatch, tmp_path):
    settings = load_settings(write(tmp_path, UAT))
    profiles = available_profiles(settings, None)

    monkeypatch.delenv("ENKASH_CLIENT_SECRET", raising=False)
    prefill = initial_prefill(profiles)
    assert prefill[SANDBOX_PROFILE] == {"client_secret": "sandbox-secret", "password": "demo1234"}
    assert "uat" not in prefill

    monkeypatch.setenv("ENKASH_CLIENT_SECRET", "from-env")
    prefill = initial_prefill(profiles)
    assert prefill["uat"] == {"client_secret": "from-env"}
    assert "password" not in prefill["uat"]


def test_the_launcher_picks_sandbox_then_flag_then_remembered_then_default(tmp_path):
    settings = load_settings(write(tmp_path, UAT))
    profiles = available_profiles(settings, None)

    def choose(sandbox=False, profile=None, remembered=None):
        args = argparse.Namespace(sandbox=sandbox, profile=profile)
        return _choose(args, settings, LocalState(remembered, None), profiles)

    assert choose(sandbox=True, profile="live") == SANDBOX_PROFILE
    assert choose(profile="live", remembered="uat") == "live"
    assert choose(remembered="live") == "live"
    assert choose(remembered="deleted-profile") == "uat"


def test_the_username_last_used_with_a_profile_is_filled_in_again(tmp_path):
    settings = load_settings(write(tmp_path, UAT))
    profiles = available_profiles(settings, None)

    prefill = initial_prefill(profiles, LocalState("live", "me@acme.in"))
    assert prefill["live"]["username"] == "me@acme.in"
    assert "username" not in prefill.get("uat", {})
    assert "username" not in initial_prefill(profiles, LocalState("gone", "x@y.in")).get("gone", {})
