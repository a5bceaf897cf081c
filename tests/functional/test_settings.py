"""Settings from the config file take effect in the running app: theme and key remaps."""

from __future__ import annotations

from typing import Any

from enkash_tui.config import Settings
from screens.app import LANDING_SECTION, EnkashApp
from tests.support.driving import build_app, sign_in


def app_with(settings: Settings, url: str) -> EnkashApp:
    return build_app(url, settings=settings)


async def test_the_configured_theme_is_used(sandbox: Any) -> None:
    app = app_with(Settings(theme="ansi-dark"), sandbox.url)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "ansi-dark"


async def test_an_unknown_theme_falls_back_to_the_default(sandbox: Any) -> None:
    app = app_with(Settings(theme="no-such-theme"), sandbox.url)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "textual-dark"


async def test_a_binding_remapped_by_id_answers_to_its_new_key(sandbox: Any) -> None:
    app = app_with(Settings(keymap={"section.invoices": "f9", "app.help": "f8"}), sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("f4")  # the old key no longer does it
        assert app.current_mode == LANDING_SECTION
        await pilot.press("f9")
        assert app.current_mode == "invoices"
