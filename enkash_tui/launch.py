"""From parsed arguments to a running app: profiles, remembered choices, optional sandbox."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from typing import TYPE_CHECKING, Any

from enkash_tui.config import (
    SANDBOX_PROFILE,
    ConfigError,
    Profile,
    Settings,
    client_secret_from_env,
    load_settings,
    sandbox_profile,
)
from enkash_tui.local.locations import CONFIG_ENV
from enkash_tui.local.state import LocalState
from enkash_tui.memory import fewer_arenas
from enkash_tui.sandbox_demo import DEMO_CLIENT_SECRET, DEMO_PASSWORD

if TYPE_CHECKING:
    from enkash_tui.sandbox.starter import SandboxProcess
    from screens.app import EnkashApp


def available_profiles(settings: Settings, sandbox_url: str | None) -> dict[str, Profile]:
    """The built-in Sandbox profile first, then the user's own."""
    builtin = sandbox_profile(sandbox_url) if sandbox_url else sandbox_profile()
    profiles = {SANDBOX_PROFILE: builtin}
    profiles.update({name: p for name, p in settings.profiles.items() if name != SANDBOX_PROFILE})
    return profiles


def initial_prefill(
    profiles: dict[str, Profile], state: LocalState | None = None
) -> dict[str, dict[str, str]]:
    """What the form shows filled beyond the profile: the public demo secrets, the env client
    secret, and the username last used with the remembered profile."""
    prefill = {SANDBOX_PROFILE: {"client_secret": DEMO_CLIENT_SECRET, "password": DEMO_PASSWORD}}
    env_secret = client_secret_from_env()
    if env_secret is not None:
        for name in profiles:
            if name != SANDBOX_PROFILE:
                prefill[name] = {"client_secret": env_secret}
    if state and state.last_profile in profiles and state.last_username:
        prefill.setdefault(state.last_profile, {})["username"] = state.last_username
    return prefill


def sandbox_app(
    url: str,
    settings: Settings | None = None,
    state: LocalState | None = None,
    **options: Any,
) -> EnkashApp:
    """The app as ``enkash-tui --sandbox`` builds it: the Sandbox profile at ``url`` chosen, its
    demo secrets filled in. The tests, snapshots and benchmarks build it here too, so they run
    what a newcomer runs."""
    from screens.app import EnkashApp

    settings = settings or Settings()
    profiles = available_profiles(settings, url)
    return EnkashApp(
        settings,
        profiles,
        selected_profile=SANDBOX_PROFILE,
        prefill=initial_prefill(profiles, state),
        state=state,
        **options,
    )


def _choose(
    args: argparse.Namespace, settings: Settings, state: LocalState, profiles: dict[str, Profile]
) -> str:
    if args.sandbox:
        return SANDBOX_PROFILE
    for wanted in (args.profile, state.last_profile, settings.default_profile):
        if wanted and wanted in profiles:
            return str(wanted)
    return next(iter(profiles))


def _local_sandbox(args: argparse.Namespace) -> SandboxProcess:
    """The ``--sandbox`` server, its port bound now (the form shows the address at once); the
    app starts its process once the sign-in screen has painted (started earlier, its imports
    took the CPU the first frame needed), and it prepares its database while the form is
    read."""
    missing = [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit(
            f"--sandbox needs the sandbox extra ({missing[0]} is missing): "
            "pip install 'enkash-tui[sandbox]'"
        )
    from enkash_tui.sandbox.command import sandbox_settings
    from enkash_tui.sandbox.starter import SandboxProcess

    settings = sandbox_settings(args, host="127.0.0.1", port=0)
    return SandboxProcess(settings, asked=(args.invoices, args.customers))


def launch_app(args: argparse.Namespace) -> int:
    if args.config:
        os.environ[CONFIG_ENV] = str(args.config)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"enkash-tui: {error}", file=sys.stderr)
        return 2
    if args.profile and args.profile not in settings.profiles and args.profile != SANDBOX_PROFILE:
        known = ", ".join([SANDBOX_PROFILE, *settings.profiles])
        print(f"enkash-tui: no profile {args.profile!r}; known: {known}", file=sys.stderr)
        return 2
    fewer_arenas()  # before any thread starts
    local = _local_sandbox(args) if args.sandbox else None
    try:
        state = LocalState.load()
        if local is not None:
            app = sandbox_app(
                local.url, settings, state, force_readonly=args.readonly, local_sandbox=local
            )
        else:
            from screens.app import EnkashApp

            profiles = available_profiles(settings, None)
            app = EnkashApp(
                settings,
                profiles,
                selected_profile=_choose(args, settings, state, profiles),
                prefill=initial_prefill(profiles, state),
                force_readonly=args.readonly,
                state=state,
            )
        app.run()
        return app.return_code or 0
    finally:
        if local is not None:
            local.stop()
