"""One signed-in session: the client, the profile it came from, and whether it may change data.

Kept free of Textual so the rules (e.g. read-only refusal) can be tested and reused anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from .api import EnkashClient
from .config import Profile


class ReadOnlyError(PermissionError):
    """A change was attempted in a read-only session."""

    title = "Read-only session"

    def __init__(self, what: str = "This change") -> None:
        super().__init__(f"{what} is not allowed: this session is read-only")


@dataclass
class Session:
    client: EnkashClient
    profile: Profile
    username: str
    readonly: bool = False

    @property
    def environment(self) -> str:
        return self.profile.kind

    @property
    def is_production(self) -> bool:
        return self.profile.kind == "production"

    def require_writable(self, what: str = "This change") -> None:
        """Call before any mutating request; refuses in a read-only session."""
        if self.readonly:
            raise ReadOnlyError(what)

    async def close(self) -> None:
        self.client.logout()
        await self.client.aclose()
