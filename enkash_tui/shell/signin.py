"""Signing a shell command in: the profile from the config file (``--profile``, else the default
one, else the built-in Sandbox), and the secrets from the environment, a prompt, or stdin.

Secrets never come from an argument (argv is visible to every user of the host, in ``ps``):
the client secret from ``ENKASH_CLIENT_SECRET``, the password from ``--password-stdin`` (its first
line) or ``ENKASH_PASSWORD``, else a prompt when stdin is a terminal. The Sandbox profile's demo
secrets are public and filled in. The token lives in this process's memory only.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from enkash_tui.config import (
    SANDBOX_PROFILE,
    SECRET_ENV,
    ConfigError,
    Profile,
    load_settings,
    sandbox_profile,
)
from enkash_tui.sandbox_demo import DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME

if TYPE_CHECKING:
    import argparse

    from enkash_tui.api.client import EnkashClient

PASSWORD_ENV = "ENKASH_PASSWORD"
USERNAME_ENV = "ENKASH_USERNAME"


class UsageError(Exception):
    """What the command line (or its environment) lacks, in words: exit code 2."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    client_secret: str


def choose_profile(args: argparse.Namespace) -> Profile:
    try:
        settings = load_settings(args.config)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    name = args.profile or settings.default_profile or SANDBOX_PROFILE
    if name == SANDBOX_PROFILE:
        return sandbox_profile()
    if name not in settings.profiles:
        known = ", ".join([SANDBOX_PROFILE, *settings.profiles])
        raise UsageError(f"no profile {name!r}; known: {known}")
    return settings.profiles[name]


def _asked(prompt: str, *, secret: bool) -> str | None:
    """What the person at the terminal types; None when nobody is there to ask."""
    if not sys.stdin.isatty():
        return None
    if secret:
        return getpass.getpass(prompt, stream=sys.stderr)
    return ask(prompt)


def ask(prompt: str) -> str:
    """A line typed at the terminal; the prompt on stderr, so stdout carries only the output."""
    print(prompt, end="", file=sys.stderr, flush=True)
    return input()


def credentials(args: argparse.Namespace, profile: Profile) -> Credentials:
    demo = profile.name == SANDBOX_PROFILE
    username = (
        args.username
        or os.environ.get(USERNAME_ENV)
        or profile.username
        or (DEMO_USERNAME if demo else None)
        or _asked("Username: ", secret=False)
    )
    if not username:
        raise UsageError(f"no username: give --username, set {USERNAME_ENV} or the profile's")
    if args.password_stdin:
        password: str | None = sys.stdin.readline().rstrip("\r\n")
    else:
        password = (
            os.environ.get(PASSWORD_ENV)
            or (DEMO_PASSWORD if demo else None)
            or _asked(f"Password for {username}: ", secret=True)
        )
    if not password:
        raise UsageError(f"no password: set {PASSWORD_ENV} or pipe it with --password-stdin")
    secret = (
        os.environ.get(SECRET_ENV)
        or (DEMO_CLIENT_SECRET if demo else None)
        or _asked("Client secret: ", secret=True)
    )
    if not secret:
        raise UsageError(f"no client secret: set {SECRET_ENV}")
    return Credentials(username, password, secret)


async def signed_in(args: argparse.Namespace) -> tuple[EnkashClient, Profile, str]:
    """A client signed in as the command asks (read-only when ``--readonly`` or the profile
    says so); its changes go to the action log as the app's do. Close it when done."""
    from pydantic import SecretStr

    from enkash_tui.api import NetworkError
    from enkash_tui.local.action_log import ActionLog
    from enkash_tui.session import connect

    profile = choose_profile(args)
    given = credentials(args, profile)
    client = connect(profile, SecretStr(given.client_secret), readonly=args.readonly)
    ActionLog().attach(client, profile.name, given.username)
    try:
        await client.login(given.username, given.password)
    except NetworkError as error:
        await client.aclose()
        if profile.name == SANDBOX_PROFILE and not error.may_have_reached_server:
            # The default with no config: most likely no sandbox is running yet.
            hint = f"{error} Is the sandbox running? Start it with `enkash-tui sandbox`."
            raise NetworkError(hint, may_have_reached_server=False) from error
        raise
    except BaseException:
        await client.aclose()
        raise
    return client, profile, given.username
