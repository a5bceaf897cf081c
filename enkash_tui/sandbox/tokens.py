"""The sandbox's OAuth token endpoint (§1.2): Basic client auth, password grant, lockout."""

from __future__ import annotations

import base64
import binascii
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .envelope import success

MAX_FAILED_LOGINS = 3


@dataclass(frozen=True)
class Session:
    company_id: str
    username: str
    display_name: str
    expires_at: float


class OAuthError(Exception):
    """Spring-OAuth2 style failure: ``{"error": …, "error_description": …}``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.body = {"error": error, "error_description": description}


class TokenIssuer:
    """Issues opaque bearer tokens and knows which session each belongs to."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        ttl: int,
        lockout_seconds: int,
        shape: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.conn = conn
        self.ttl = ttl
        self.lockout_seconds = lockout_seconds
        self.shape = shape
        self.clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def session(self, authorization: str | None) -> Session | None:
        """The live session behind ``Authorization: Bearer …``, or None."""
        if not authorization or not authorization.lower().startswith("bearer "):
            return None
        token = authorization[7:].strip()
        with self._lock:
            found = self._sessions.get(token)
            if found and found.expires_at <= self.clock():
                del self._sessions[token]
                return None
        return found

    def _client(self, authorization: str | None, form: dict[str, str]) -> str:
        if not authorization or not authorization.lower().startswith("basic "):
            raise OAuthError(401, "unauthorized", "Full authentication is required")
        try:
            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError(401, "invalid_client", "Malformed client credentials") from None
        row = self.conn.execute(
            "SELECT client_secret FROM companies WHERE company_id = ?", (client_id,)
        ).fetchone()
        if row is None or not secrets.compare_digest(row["client_secret"], secret):
            raise OAuthError(401, "invalid_client", "Bad client credentials")
        if form.get("clientId") and form["clientId"] != client_id:
            raise OAuthError(400, "invalid_request", "clientId does not match the client")
        return client_id

    def issue(self, authorization: str | None, form: dict[str, str]) -> dict[str, Any]:
        client_id = self._client(authorization, form)
        if form.get("grant_type") != "password":
            raise OAuthError(400, "unsupported_grant_type", "Only grant_type=password is supported")
        missing = [name for name in ("username", "password", "clientId") if not form.get(name)]
        if missing:
            raise OAuthError(400, "invalid_request", f"Missing {', '.join(missing)}")
        session = self._check_password(client_id, form["username"], form["password"])
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[token] = session
        return self._shape(token)

    def _check_password(self, client_id: str, username: str, password: str) -> Session:
        now = self.clock()
        user = self.conn.execute(
            "SELECT * FROM users WHERE username = ? AND company_id = ?", (username, client_id)
        ).fetchone()
        if user is None:
            raise OAuthError(400, "invalid_grant", "Bad credentials")
        if user["locked_until"] and user["locked_until"] > now:
            minutes = max(1, round((user["locked_until"] - now) / 60))
            raise OAuthError(
                400,
                "invalid_grant",
                f"Account locked after {MAX_FAILED_LOGINS} failed attempts; "
                f"try again in {minutes} min",
            )
        if not secrets.compare_digest(user["password"], password):
            failures = user["failed_logins"] + 1
            locked = now + self.lockout_seconds if failures >= MAX_FAILED_LOGINS else None
            self.conn.execute(
                "UPDATE users SET failed_logins = ?, locked_until = ? WHERE username = ?",
                (0 if locked else failures, locked, username),
            )
            if locked:
                minutes = max(1, round(self.lockout_seconds / 60))
                raise OAuthError(
                    400,
                    "invalid_grant",
                    f"Account locked after {MAX_FAILED_LOGINS} failed attempts; "
                    f"try again in {minutes} min",
                )
            left = MAX_FAILED_LOGINS - failures
            raise OAuthError(
                400, "invalid_grant", f"Bad credentials ({left} attempt{'s' * (left != 1)} left)"
            )
        self.conn.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?",
            (username,),
        )
        return Session(client_id, username, user["display_name"], now + self.ttl)

    def _shape(self, token: str) -> dict[str, Any]:
        refresh = secrets.token_urlsafe(16)
        if self.shape == "camel":
            return {
                "accessToken": token,
                "tokenType": "bearer",
                "expiresIn": self.ttl,
                "refreshToken": refresh,
            }
        body = {
            "access_token": token,
            "token_type": "bearer",
            "refresh_token": refresh,
            "expires_in": self.ttl,
            "scope": "read write trust",
        }
        return success(body) if self.shape == "envelope" else body
