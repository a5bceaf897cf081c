"""One signed-in session: the client, the profile it came from, and who signed in.

A read-only session's client refuses every change itself (``ReadOnlyError``); screens also hide
the keys for changes (``SectionScreen.MUTATING_ACTIONS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .api.client import EnkashClient
    from .config import Profile


@dataclass
class Session:
    client: EnkashClient
    profile: Profile
    username: str

    @property
    def readonly(self) -> bool:
        return self.client.readonly

    @property
    def environment(self) -> str:
        return self.profile.kind

    @property
    def is_production(self) -> bool:
        return self.profile.kind == "production"

    async def close(self) -> None:
        self.client.logout()
        await self.client.aclose()
