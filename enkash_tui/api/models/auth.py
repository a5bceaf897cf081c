"""The OAuth token response, in any of its three documented shapes (§1.2)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr

from .base import ReadModel


class Token(ReadModel):
    """Accepts ``access_token`` (Spring OAuth2) or ``accessToken`` (the AR page schema)."""

    access_token: SecretStr = Field(validation_alias=AliasChoices("access_token", "accessToken"))
    token_type: str = Field(
        default="bearer", validation_alias=AliasChoices("token_type", "tokenType")
    )
    expires_in: int | None = Field(
        default=None, validation_alias=AliasChoices("expires_in", "expiresIn")
    )
    refresh_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("refresh_token", "refreshToken")
    )
    scope: str | None = None
