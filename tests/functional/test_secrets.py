"""Secrets never leave memory: after a real session, no password or client secret is in any file
the app wrote (config, remembered state, customer cache and open book, action log), in what it
printed or logged, in a screenshot of its screens, or in a crash report; and its own files are
readable by the owner only (0600), in folders nobody else can write to.

The session uses a password and client secret nobody else uses (written into the sandbox's
database for this test), so a hit can only be a leak. The sandbox's public demo login, which the
Sandbox profile pre-fills, is looked for too, everywhere but the sandbox's own database, and in
the committed snapshots.

Textual's own debug log (``TEXTUAL_LOG``) has a test of its own: it records what is typed in the
secret fields (see there).
"""

from __future__ import annotations

import base64
import html
import json
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import textual.constants
from textual.pilot import Pilot
from textual.widgets import Input, Static

from enkash_tui.config import Profile, Settings, load_settings, save_settings
from enkash_tui.launch import available_profiles, initial_prefill
from enkash_tui.local import action_log, locations
from enkash_tui.local.locations import config_path
from enkash_tui.local.state import LocalState
from enkash_tui.sandbox.tokens import TokenIssuer
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME
from screens.app import LANDING_SECTION, EnkashApp
from screens.home.screen import HomeScreen
from screens.invoices.form import InvoiceForm
from screens.login import LoginScreen
from screens.modals import ConfirmModal, ReloginModal
from tests.support.driving import open_customers, open_invoices, wait_until
from tests.support.screen_text import notes, titled_notes

# Nobody's real secrets, and nothing a screen, an id or a date could spell by chance. The
# punctuation makes the URL-encoded, HTML-escaped and plain forms all differ.
CLIENT_SECRET = "cs-Vq7&Zx!41+Kw=Tn"
PASSWORD = "Pw!9 kR2&Lm=7Qs#x"
ROTATED = "Nw#5 tY8!Hb=3Jd&u"  # what an administrator changes the password to mid-session
WRONG = "Wr0ng!Gu3ss #8&Zp=q"  # typed by mistake: an error must not repeat it
SECRETS = {
    "client secret": CLIENT_SECRET,
    "password": PASSWORD,
    "rotated password": ROTATED,
    "wrong password": WRONG,
}
# The sandbox profile's public demo login is pre-filled too: it must not reach a file either.
DEMO = {"demo client secret": DEMO_CLIENT_SECRET, "demo password": DEMO_PASSWORD}
EVERY_SECRET = {**SECRETS, **DEMO}
PROFILE = "Staging"
SIZE = (120, 36)


# -- finding a secret in any of its spellings ---------------------------------------------------


def spellings(secret: str) -> dict[str, str]:
    """The forms a secret could take in a file: plain, URL-encoded, HTML- and JSON-escaped, hex,
    and base64 (standard and URL-safe) at each of the three alignments it can have inside a
    longer encoded value (such as a Basic header's ``client_id:secret``)."""
    raw = secret.encode()
    found = {
        "plain": secret,
        "url-encoded": quote(secret, safe=""),
        "form-encoded": quote_plus(secret),
        "html-escaped": html.escape(secret),
        "json-escaped": json.dumps(secret)[1:-1],
        "hex": raw.hex(),
    }
    for offset in range(3):
        for name, encode in (
            ("base64", base64.b64encode),
            ("base64url", base64.urlsafe_b64encode),
        ):
            text = encode(bytes(offset) + raw).decode()
            # Only the characters whose 6 bits all come from the secret: the same whatever
            # bytes come before and after it.
            first = -(-offset * 8 // 6)
            last = (offset + len(raw)) * 8 // 6
            found[f"{name} (offset {offset})"] = text[first:last]
    unique: dict[str, str] = {}
    for form, spelled in found.items():  # one name a spelling: "plain" before "json-escaped"
        if spelled not in unique.values():
            unique[form] = spelled
    return unique


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    """``"<which secret> as <which spelling>"`` for every spelling of every secret in ``text``."""
    return [
        f"{name} as {form}"
        for name, secret in secrets.items()
        for form, spelled in spellings(secret).items()
        if spelled in text
    ]


def scan_files(paths: list[Path], secrets: dict[str, str]) -> list[str]:
    problems = []
    for path in paths:
        text = path.read_bytes().decode("utf-8", "replace")
        problems += [f"{path}: {hit}" for hit in leaks(text, secrets)]
    return problems


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_the_spellings_would_find_a_secret_however_it_was_written() -> None:
    # The scanner itself: each way a leak could be written is found.
    header = "Basic " + base64.b64encode(f"{DEMO_CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert leaks(header, {"s": CLIENT_SECRET}) == ["s as base64 (offset 2)"]
    body = "grant_type=password&password=" + quote_plus(PASSWORD) + "&clientId=x"
    assert leaks(body, {"p": PASSWORD}) == ["p as form-encoded"]
    assert leaks(json.dumps({"password": PASSWORD}), {"p": PASSWORD}) == ["p as plain"]
    assert "p as html-escaped" in leaks(f"<text>{html.escape(PASSWORD)}</text>", {"p": PASSWORD})
    for offset in range(3):
        wrapped = base64.urlsafe_b64encode(b"?" * offset + PASSWORD.encode() + b"!").decode()
        assert any(f"(offset {offset})" in hit for hit in leaks(wrapped, {"p": PASSWORD}))
    assert leaks("nothing to see", SECRETS) == []


# -- the session --------------------------------------------------------------------------------


def issuer_of(running: Any) -> TokenIssuer:
    issuer: TokenIssuer = running.server._server.config.app.state.sandbox.tokens
    return issuer


def set_password(running: Any, password: str) -> None:
    running.conn.execute(
        "UPDATE users SET password = ?, failed_logins = 0, locked_until = NULL WHERE username = ?",
        (password, DEMO_USERNAME),
    )


def rendered(widget: Static) -> str:
    return str(widget.render())


def screen_texts(app: EnkashApp) -> str:
    """Everything on screen as a person sees it (an SVG screenshot), and every notification."""
    return app.export_screenshot() + "\n" + " ".join(titled_notes(app))


async def type_into(pilot: Pilot[Any], field: Input, text: str) -> None:
    """Focus ``field``, clear it, and type ``text`` key by key, as a person does."""
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*text)


@pytest.fixture
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every place the app could write, inside the test's folder: the isolated state, config and
    cache dirs (conftest), the action log beside the state (no ENKASH_TUI_DATA_DIR) and the XDG
    dirs platformdirs falls back to. Textual's debug log stays off (see its own test below)."""
    monkeypatch.delenv(locations.DATA_ENV, raising=False)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "xdg" / name.lower()))
    # Read by Textual at import time (TEXTUAL_LOG): set where its logger looks for it.
    monkeypatch.setattr(textual.constants, "LOG_FILE", None)
    return tmp_path


def use_sandbox_secrets(running: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test's client secret and password in the sandbox; the secret in the environment (as
    a person keeps it); a config file with the Staging profile on this sandbox."""
    running.conn.execute(
        "UPDATE companies SET client_secret = ? WHERE company_id = ?",
        (CLIENT_SECRET, DEMO_CLIENT_ID),
    )
    set_password(running, PASSWORD)
    monkeypatch.setenv("ENKASH_CLIENT_SECRET", CLIENT_SECRET)
    save_settings(
        Settings(
            default_profile=PROFILE,
            profiles={
                PROFILE: Profile(
                    name=PROFILE,
                    base_url=running.url,
                    client_id=DEMO_CLIENT_ID,
                    username=DEMO_USERNAME,
                    company_id=DEMO_CLIENT_ID,
                    environment="test",
                )
            },
        )
    )


def app_for(url: str) -> EnkashApp:
    """As ``enkash-tui --profile Staging`` starts it: the config file's profile, the client
    secret from ENKASH_CLIENT_SECRET, the remembered state, and remembering on."""
    settings = load_settings()
    state = LocalState.load()
    profiles = available_profiles(settings, url)
    return EnkashApp(
        settings,
        profiles,
        selected_profile=PROFILE,
        prefill=initial_prefill(profiles, state),
        state=state,
        remember=True,
    )


async def sign_in_with(pilot: Pilot[Any], password: str, *, wrong_first: bool = False) -> None:
    """On the sign-in form (client secret pre-filled from the environment): type the password
    (a wrong one first, if asked: the error must not repeat it) and land on Home."""
    app = pilot.app
    assert isinstance(app, EnkashApp)
    await wait_until(pilot, lambda: bool(app.screen.query("#profile")), what="the sign-in form")
    form = app.screen
    assert isinstance(form, LoginScreen)
    assert form.query_one("#client_secret", Input).value == CLIENT_SECRET  # from the env
    field = form.query_one("#password", Input)
    if wrong_first:
        await type_into(pilot, field, WRONG)
        await pilot.press("enter")
        error = form.query_one("#password-error", Static)
        await wait_until(pilot, lambda: bool(rendered(error)), what="the wrong password refused")
        said = rendered(error) + " " + rendered(form.query_one("#status", Static))
        assert "credentials" in said.lower() or "wrong" in said.lower(), said
        assert not leaks(said, SECRETS), f"the sign-in error repeats a secret: {said!r}"
        assert not leaks(screen_texts(app), SECRETS), "a secret is on the sign-in screen"
        assert app.session is None
    await type_into(pilot, field, password)
    assert not leaks(screen_texts(app), SECRETS), "the typed password shows on screen"
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: app.session is not None and app.current_mode == LANDING_SECTION,
        what="Home after signing in",
    )
    assert field.value == ""  # the form forgets the password once signed in


async def settle_home(pilot: Pilot[Any]) -> None:
    """Home's tiles and aging (which is cached on disk) finished."""
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    await wait_until(
        pilot,
        lambda: (
            home.aging is not None
            and not home.computing
            and all(v.found is not None or v.problem for v in home.tiles)
        ),
        timeout=20,
        what="Home's tiles and aging",
    )


async def edit_po_number(pilot: Pilot[Any], po_number: str) -> tuple[InvoiceForm, Static]:
    """``e`` on the current invoice, a new PO number, Enter: (the form, its status line)."""
    app = pilot.app
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the invoice form")
    form = app.screen
    assert isinstance(form, InvoiceForm)
    status = form.query_one("#form-status", Static)
    form.query_one("#po_number", Input).value = po_number
    form.query_one("#po_number", Input).focus()
    await pilot.press("enter")
    return form, status


async def test_a_whole_session_leaves_no_secret_anywhere_and_private_files(
    private_home: Path,
    isolated_dirs: Path,
    start_sandbox: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # whatever anything logs (the app, httpx, the sandbox)
    sandbox = start_sandbox()
    use_sandbox_secrets(sandbox, monkeypatch)
    config = config_path()
    screenshots: list[str] = []

    app = app_for(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        # Sign in (remembering the profile and username), Home computes and caches its aging
        # (the open book: aging and balances).
        await sign_in_with(pilot, PASSWORD)
        await settle_home(pilot)
        screenshots.append(app.export_screenshot())

        # Customers: the whole customer list and its balances cached on disk.
        await open_customers(pilot)
        screenshots.append(app.export_screenshot())

        # Invoices: a change that works, then one refused by a failing EnKash.
        screen = await open_invoices(pilot)
        await edit_po_number(pilot, "PO-SECRETS-1")
        await wait_until(pilot, lambda: app.screen is screen, what="the first edit saved")
        faults = sandbox.faults
        faults.failure_rate = 1.0
        _form, status = await edit_po_number(pilot, "PO-SECRETS-2")
        await wait_until(pilot, lambda: "Not saved" in rendered(status), what="the refusal")
        screenshots.append(app.export_screenshot())
        await pilot.press("escape")  # leave the form, throwing the edit away
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="discard?")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is screen, what="back on the list")
        # A refresh while EnKash keeps failing: an error notification.
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: bool(notes(app, "error")),
            timeout=20,
            what="an error notification",
        )
        faults.failure_rate = 0.0
        screenshots.append(app.export_screenshot())

        # The session expires and the password was changed meanwhile: renewing with the
        # remembered one fails, and the app asks for the password again.
        issuer_of(sandbox)._sessions.clear()
        set_password(sandbox, ROTATED)
        await pilot.press("r")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ReloginModal), what="the session-expired prompt"
        )
        relogin = app.screen
        assert isinstance(relogin, ReloginModal)
        await type_into(pilot, relogin.query_one(Input), WRONG)
        await pilot.press("enter")
        error = relogin.query_one("#relogin-error", Static)
        await wait_until(
            pilot,
            lambda: rendered(error) not in ("", "Signing in…"),
            what="the wrong password refused",
        )
        said = rendered(error)
        assert "credentials" in said.lower() or "wrong" in said.lower(), said
        assert not leaks(said, SECRETS), f"the session-expired prompt repeats a secret: {said!r}"
        screenshots.append(app.export_screenshot())
        await type_into(pilot, relogin.query_one(Input), ROTATED)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, what="signed in again")

        # Sign out; a wrong password first, then the right one.
        await app.sign_out()
        await sign_in_with(pilot, ROTATED, wrong_first=True)
        await settle_home(pilot)
        screenshots.append(app.export_screenshot())
        await pilot.press("q")
        await wait_until(pilot, lambda: app.return_code is not None, what="the app to quit")

    # What remembering stored: the profile and the username, nothing else.
    state = json.loads((isolated_dirs / "state.json").read_text())
    assert state == {"last_profile": PROFILE, "last_username": DEMO_USERNAME}

    # The action log has both edits (it is beside the state in an isolated run).
    log = action_log.log_path()
    assert log == isolated_dirs / action_log.FILE_NAME
    # Each change: a line before it was sent, and one with its outcome.
    outcomes = [json.loads(line)["outcome"] for line in log.read_text().splitlines()]
    assert outcomes == ["pending", "ok", "pending", "failed"], outcomes

    # Every file the session wrote, wherever: state, config, caches, action log, XDG dirs.
    # Only the sandbox's own database holds the secrets, by design.
    written = [path for path in files_under(private_home) if not path.name.startswith("sandbox-")]
    names = {path.name for path in written}
    assert {"config.toml", "state.json", "action-log.jsonl"} <= names, names
    caches = [p for p in written if p.parent == private_home / "cache"]
    # <kind>-<profile>-<digest>.json
    assert {p.name.rsplit("-", 2)[0] for p in caches} == {"customers", "open-book"}, caches
    problems = scan_files(written, EVERY_SECRET)

    out, err = capfd.readouterr()
    problems += [f"stdout: {hit}" for hit in leaks(out, EVERY_SECRET)]
    problems += [f"stderr: {hit}" for hit in leaks(err, EVERY_SECRET)]
    problems += [f"logging: {hit}" for hit in leaks(caplog.text, EVERY_SECRET)]
    for number, svg in enumerate(screenshots):
        problems += [f"screenshot {number}: {hit}" for hit in leaks(svg, EVERY_SECRET)]
    assert not problems, "secrets leaked:\n" + "\n".join(problems)

    # The app's own files: the owner's only, never half-written, in folders nobody else can
    # write to.
    own = [config, isolated_dirs / "state.json", log, *caches]
    modes = {str(path): oct(stat.S_IMODE(path.stat().st_mode)) for path in own}
    assert all(mode == "0o600" for mode in modes.values()), modes
    assert not [p for p in written if p.suffix == ".tmp"], "a temporary file was left behind"
    for folder in {path.parent for path in own}:
        assert not folder.stat().st_mode & stat.S_IWOTH, f"{folder} is world-writable"


# -- Textual's debug log ----------------------------------------------------------------------


async def test_textual_s_debug_log_does_not_record_the_secrets_typed_at_sign_in(
    private_home: Path, start_sandbox: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # TEXTUAL_LOG=<file> (or ``textual run --dev``) is how a Textual app is debugged, and how
    # a support request gets a log. Textual logs every message with its repr, and an Input's
    # Changed / Submitted messages carry the field's value.
    textual_log = private_home / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(textual_log))
    sandbox = start_sandbox()
    use_sandbox_secrets(sandbox, monkeypatch)
    app = app_for(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_with(pilot, PASSWORD)
        await pilot.press("q")
    assert textual_log.stat().st_size > 0, "Textual wrote no log: the test proves nothing"
    problems = scan_files([textual_log], SECRETS)
    mode = oct(stat.S_IMODE(textual_log.stat().st_mode))
    assert not problems, (
        f"with TEXTUAL_LOG set, Textual's log (mode {mode}) records the secret fields' "
        "Changed/Submitted messages with their values (SecretInput should mask them):\n"
        + "\n".join(problems)
    )


# -- crash output -----------------------------------------------------------------------------


class InjectedBug(RuntimeError):
    """A stand-in for a bug: Textual prints a traceback, locals included, on the way out."""


def crash(*_args: Any, **_kwargs: Any) -> None:
    raise InjectedBug("injected bug")


async def test_a_crash_on_the_sign_in_form_prints_no_secret(
    private_home: Path,
    start_sandbox: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # Enter in the password field with a bug behind it: the traceback shows each frame's locals
    # (the form, the submitted message), right after the password was typed.
    sandbox = start_sandbox()
    use_sandbox_secrets(sandbox, monkeypatch)
    monkeypatch.setattr(LoginScreen, "_profile_from_form", crash)
    app = app_for(sandbox.url)
    with pytest.raises(InjectedBug):
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: bool(app.screen.query("#profile")), what="the form")
            await type_into(pilot, app.screen.query_one("#password", Input), PASSWORD)
            await pilot.press("enter")
            await pilot.pause(0.5)
    out, err = capfd.readouterr()
    assert "injected bug" in err and "locals" in err, err[-2000:]  # the crash report is there
    problems = leaks(out, EVERY_SECRET) + leaks(err, EVERY_SECRET)
    assert not problems, f"the crash report shows secrets ({problems}):\n{err}"


async def test_a_crash_while_signed_in_prints_no_secret(
    private_home: Path,
    start_sandbox: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from screens.invoices.screen import InvoicesScreen

    sandbox = start_sandbox()
    use_sandbox_secrets(sandbox, monkeypatch)
    monkeypatch.setattr(InvoicesScreen, "action_refresh", crash)
    app = app_for(sandbox.url)
    with pytest.raises(InjectedBug):
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_with(pilot, PASSWORD)
            await open_invoices(pilot)
            await pilot.press("r")
            await pilot.pause(0.5)
    out, err = capfd.readouterr()
    assert "injected bug" in err and "locals" in err, err[-2000:]
    problems = leaks(out, EVERY_SECRET) + leaks(err, EVERY_SECRET)
    assert not problems, f"the crash report shows secrets ({problems}):\n{err}"


# -- file modes -------------------------------------------------------------------------------


def test_the_config_file_is_rewritten_0600_even_over_a_world_readable_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text("theme = 'textual-dark'\n")
    os.chmod(path, 0o666)
    save_settings(Settings(theme="ansi-dark"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(path).theme == "ansi-dark"


# -- the committed snapshots ------------------------------------------------------------------

SNAPSHOTS = Path(__file__).parent / "__snapshots__"


def test_no_committed_snapshot_shows_a_secret() -> None:
    # The sign-in snapshots show the form with the demo secrets typed in: masked, never shown.
    svgs = sorted(SNAPSHOTS.rglob("*.svg"))
    assert svgs, f"no snapshots under {SNAPSHOTS}"
    problems = scan_files(svgs, EVERY_SECRET)
    assert not problems, "secrets in snapshots:\n" + "\n".join(problems)
