"""The token lifecycle: password grant, expiry, and signing in again when the server says 401.

Credentials live only in this object's memory, as ``SecretStr``; they are never written or logged.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from pydantic import SecretStr, ValidationError

from enkash_tui.api import envelope
from enkash_tui.api.errors import AuthError, ErrorType, ResponseFormatError
from enkash_tui.api.models import Token
from enkash_tui.api.transfer import MAX_TOKEN_REPLY_BYTES, Received, receive

# Renew this many seconds before the server's expiry, so a call never races the deadline.
EXPIRY_MARGIN_SECONDS = 30.0


@dataclass(frozen=True)
class Credentials:
    username: str
    password: SecretStr

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=**********)"


def basic_auth_header(client_id: str, client_secret: SecretStr) -> str:
    raw = f"{client_id}:{client_secret.get_secret_value()}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _login_error(response: Received) -> AuthError:
    """Spring OAuth2 errors ({error, error_description}) or an envelope, as an AuthError."""
    try:
        body = envelope.loads(response.content)
    except ValueError:
        body = None
    if isinstance(body, dict) and ("error" in body or "error_description" in body):
        message = str(body.get("error_description") or body.get("error"))
        if message == "Bad credentials":
            message = "Wrong username or password"
        return AuthError(
            message, status_code=response.status_code, error_type=ErrorType.UNAUTHORIZED
        )
    error = envelope.error_from_body(response.status_code, body)
    return AuthError(
        error.message,
        status_code=error.status_code,
        error_type=error.error_type,
        request_id=error.request_id,
    )


def parse_token(body: object) -> Token:
    """Accept snake_case, camelCase, or the token wrapped in the response envelope."""
    if isinstance(body, dict) and "response_code" in body:
        body, _ = envelope.unwrap(200, body)
    try:
        return Token.model_validate(body)
    except ValidationError as error:
        raise ResponseFormatError(_token_problem(error)) from None


def _token_problem(error: ValidationError) -> str:
    """In words, without the token itself (pydantic's own messages would quote it)."""
    first = error.errors(include_url=False)[0]
    if first["type"] in ("missing", "model_type") or not first["loc"]:
        return "EnKash sent an unusable sign-in token: the reply holds no access token"
    if first["type"] == "value_error":
        reason = first["msg"].removeprefix("Value error, ")
    else:  # e.g. a lifetime that is not a whole number of seconds
        reason = f"its {first['loc'][0]} is not what a token reply holds"
    return f"EnKash sent an unusable sign-in token: {reason}"


class TokenManager:
    """Holds the current token and the credentials to renew it."""

    def __init__(
        self,
        client_id: str,
        client_secret: SecretStr,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self._clock = clock
        self._credentials: Credentials | None = None
        self._token: Token | None = None
        self._expires_at: float | None = None
        self._lifetime: float | None = None  # seconds the current token was issued for
        self._lock = asyncio.Lock()
        # Bumped at every sign-in, so concurrent 401s trigger one renewal, not one each.
        self.generation = 0

    @property
    def signed_in(self) -> bool:
        return self._token is not None

    @property
    def username(self) -> str | None:
        return self._credentials.username if self._credentials else None

    def expires_in(self) -> float | None:
        """Seconds left on the current token, if the server gave a lifetime."""
        if self._expires_at is None:
            return None
        return self._expires_at - self._clock()

    def needs_renewal(self) -> bool:
        remaining = self.expires_in()
        if self._token is None:
            return True
        # Renew a little early, but never so early that a short-lived token is renewed before
        # every call: at most a quarter of its lifetime ahead.
        margin = min(EXPIRY_MARGIN_SECONDS, self._lifetime / 4) if self._lifetime else 0.0
        return remaining is not None and remaining < margin

    def authorization(self) -> str:
        if self._token is None:
            raise AuthError("Not signed in", status_code=401, error_type=ErrorType.UNAUTHORIZED)
        scheme = "Bearer" if self._token.token_type.lower() == "bearer" else self._token.token_type
        return f"{scheme} {self._token.access_token.get_secret_value()}"

    def forget(self) -> None:
        """Sign out: drop the token and the credentials."""
        self._credentials = None
        self._token = None
        self._expires_at = None

    async def login(self, http: httpx.AsyncClient, path: str, credentials: Credentials) -> Token:
        """Password grant (§1.2): Basic client auth and the four documented form fields."""
        form = {
            "username": credentials.username,
            "password": credentials.password.get_secret_value(),
            "grant_type": "password",
            "clientId": self.client_id,
        }
        headers = {"Authorization": basic_auth_header(self.client_id, self._client_secret)}
        request = http.build_request("POST", path, data=form, headers=headers)
        response = await receive(http, request, MAX_TOKEN_REPLY_BYTES)
        if response.status_code != 200:
            raise _login_error(response)
        try:
            body = envelope.loads(response.content)
        except ValueError:
            raise ResponseFormatError("the token reply is not JSON") from None
        token = parse_token(body)
        self._credentials = credentials
        self._token = token
        self._expires_at = self._clock() + token.expires_in if token.expires_in else None
        self._lifetime = float(token.expires_in) if token.expires_in else None
        self.generation += 1
        return token

    async def renew(self, http: httpx.AsyncClient, path: str, seen_generation: int) -> None:
        """Sign in again with the remembered credentials, once for any number of callers."""
        async with self._lock:
            if self.generation != seen_generation and not self.needs_renewal():
                return  # someone else renewed while we waited
            if self._credentials is None:
                raise AuthError("Not signed in", status_code=401, error_type=ErrorType.UNAUTHORIZED)
            try:
                await self.login(http, path, self._credentials)
            except AuthError:
                # The remembered password no longer works: trying it again on every call would
                # lock the account (3 failures, §1.2). Sign out; the user signs in again.
                self.forget()
                raise
