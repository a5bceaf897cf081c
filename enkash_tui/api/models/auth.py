"""The OAuth token response, in any of its three documented shapes (§1.2).

Tolerant about shape, strict about what the app will put in an ``Authorization`` header or
count down from: an empty token, one with a line break or control character (a header cannot
carry it, and it could smuggle a second header), or a lifetime that is over before it starts
(which would mean a sign-in before every call) is refused as unusable.
"""

from __future__ import annotations

import re

from pydantic import AliasChoices, Field, SecretStr, field_validator

from enkash_tui.api.models.base import ReadModel

# Visible ASCII only (RFC 6750's b64token is narrower still): no space, CR, LF or controls.
_HEADER_WORD = re.compile(r"[\x21-\x7e]+")
MAX_TOKEN_LENGTH = 8192  # far more than any bearer token; more would not fit a request header
MAX_TOKEN_LIFETIME = 366 * 24 * 3600  # seconds; longer is no lifetime a sign-in gives


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

    @field_validator("access_token")
    @classmethod
    def _usable_token(cls, value: SecretStr) -> SecretStr:
        # The messages never quote the token: it is a secret even when it is broken.
        text = value.get_secret_value()
        if not text.strip():
            raise ValueError("the access token is empty")
        if len(text) > MAX_TOKEN_LENGTH:
            raise ValueError(f"the access token is longer than {MAX_TOKEN_LENGTH} characters")
        if not _HEADER_WORD.fullmatch(text):
            raise ValueError(
                "the access token holds spaces, line breaks or other characters a request "
                "header cannot carry"
            )
        return value

    @field_validator("token_type")
    @classmethod
    def _usable_type(cls, value: str) -> str:
        if not _HEADER_WORD.fullmatch(value) or len(value) > 64:
            raise ValueError("the token type is not a single word (such as bearer)")
        return value

    @field_validator("expires_in")
    @classmethod
    def _usable_lifetime(cls, value: int | None) -> int | None:
        if value is not None and not 0 < value <= MAX_TOKEN_LIFETIME:
            raise ValueError(
                f"it expires in {value} seconds: a lifetime must be 1 second to a year"
            )
        return value
