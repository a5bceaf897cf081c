"""What screens need from the app that hosts them, as a Protocol: a screen reaches the session and
settings through ``host(self)`` instead of importing ``screens.app``, which imports the screens
(that import was a 13-module circle)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from enkash_tui.config import Profile, Settings
    from enkash_tui.local.state import LocalState
    from enkash_tui.sandbox.starter import SandboxProcess
    from enkash_tui.session import FollowUpFigures, Session
    from screens.sections import Place


class Host(Protocol):
    """The parts of ``EnkashApp`` that screens use."""

    settings: Settings
    profiles: dict[str, Profile]
    state: LocalState
    remember: bool
    force_readonly: bool
    session: Session | None
    local_sandbox: SandboxProcess | None
    first_followups: asyncio.Future[FollowUpFigures] | None  # Home's first, asked at sign-in

    def first_frame_painted(self) -> None: ...

    async def begin_session(self, session: Session) -> None: ...

    def report_error(self, error: BaseException) -> None: ...

    async def open_section(self, place: Place) -> None: ...


def host(node: DOMNode) -> Host:
    """The app ``node`` runs in, as screens see it."""
    return cast("Host", node.app)
