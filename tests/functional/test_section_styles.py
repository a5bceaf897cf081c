"""Sections are styled as they mount: a first visit does not re-parse the app's whole stylesheet
(Textual does that for every new mode's screen unless told it is already in step), and a theme
chosen before the first visit still reaches the section."""

from __future__ import annotations

from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet

from screens.base import SectionScreen
from tests.support.driving import build_app, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox

SECTIONS = {"f3": "customers", "f4": "invoices", "f5": "reminders", "f6": "bharat_connect"}


@pytest.fixture
def reparses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry each time any stylesheet is parsed again from its sources."""
    counted: list[int] = []
    original = Stylesheet.reparse

    def counting(self: Stylesheet) -> None:
        counted.append(1)
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counting)
    return counted


async def test_a_first_visit_to_each_section_does_not_reparse_the_stylesheet(
    sandbox: RunningSandbox, reparses: list[int]
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot)
        home_header = app.screen.query_one("SessionHeader").styles
        for key, mode in SECTIONS.items():
            await pilot.press(key)
            await wait_until(pilot, lambda m=mode: app.current_mode == m, what=mode)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SectionScreen)
            # Styled all the same: the header has the look the stylesheet gives it on Home.
            header = screen.query_one("SessionHeader").styles
            assert (header.background, header.color) == (home_header.background, home_header.color)
        assert reparses == []


async def test_a_theme_chosen_before_a_first_visit_reaches_that_section(
    sandbox: RunningSandbox,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot)
        home = app.screen
        dark = home.styles.background
        app.theme = "textual-light"
        await pilot.pause()
        assert home.styles.background != dark  # the theme restyled what was shown
        await pilot.press("f5")
        await wait_until(pilot, lambda: app.current_mode == "reminders", what="Reminders")
        await pilot.pause()
        reminders: Any = app.screen
        assert reminders.styles.background == home.styles.background  # and what came next
