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
    from .local.customer_cache import CustomerCache


@dataclass
class Session:
    client: EnkashClient
    profile: Profile
    username: str
    # The local customer lookup, shared by the sections that look customers up; loaded from
    # disk the first time one asks (``customer_cache.cache_for``).
    customer_cache: CustomerCache | None = None

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
