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

from enkash_tui.sandbox.envelope import success

MAX_FAILED_LOGINS = 3
# Live tokens one user may hold; signing in again past this drops the oldest.
MAX_SESSIONS_PER_USER = 50
# Sign-in names that match no user, whose failures are counted like a user's (oldest dropped).
MAX_TRACKED_STRANGERS = 10_000
_NO_PASSWORD = secrets.token_urlsafe(12)


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of any text (``compare_digest`` takes ASCII ``str`` only)."""
    return secrets.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


@dataclass
class _Failures:
    """Failed sign-ins in a row for one name, and until when they lock it."""

    count: int = 0
    locked_until: float | None = None


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
        self._strangers: dict[tuple[str, str], _Failures] = {}
        self._lock = threading.Lock()

    @property
    def live_tokens(self) -> int:
        """How many tokens the store holds (expired ones are dropped as new ones are issued)."""
        with self._lock:
            return len(self._sessions)

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
        if row is None or not _same(secret, row["client_secret"]):
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
            self._evict(session)
            self._sessions[token] = session
        return self._shape(token)

    def _evict(self, newcomer: Session) -> None:
        """Drop expired tokens, and the oldest of ``newcomer``'s user past their cap, so the
        store holds live sessions only (tokens nobody presents again would stay for ever)."""
        now = self.clock()
        mine: list[str] = []
        for token, session in list(self._sessions.items()):
            if session.expires_at <= now:
                del self._sessions[token]
            elif (session.company_id, session.username) == (
                newcomer.company_id,
                newcomer.username,
            ):
                mine.append(token)  # oldest first: dicts keep insertion order
        for token in mine[: max(0, len(mine) - MAX_SESSIONS_PER_USER + 1)]:
            del self._sessions[token]

    def _check_password(self, client_id: str, username: str, password: str) -> Session:
        """The new session, or the one refusal a wrong password gets. A name that matches no
        user is answered exactly like a wrong password, its failures counted and locked alike,
        so no answer tells which users exist."""
        now = self.clock()
        user = self.conn.execute(
            "SELECT * FROM users WHERE username = ? AND company_id = ?", (username, client_id)
        ).fetchone()
        if user is None:
            with self._lock:
                failures = self._strangers.get((client_id, username), _Failures())
        else:
            failures = _Failures(user["failed_logins"], user["locked_until"])
        if failures.locked_until and failures.locked_until > now:
            raise _locked(failures.locked_until - now)
        # Compared even for a stranger, so both take the same time.
        matches = _same(password, user["password"] if user is not None else _NO_PASSWORD)
        if user is None or not matches:
            count = failures.count + 1
            locked = now + self.lockout_seconds if count >= MAX_FAILED_LOGINS else None
            self._record(client_id, username, user is not None, _Failures(count, locked))
            if locked:
                raise _locked(self.lockout_seconds)
            left = MAX_FAILED_LOGINS - count
            raise OAuthError(
                400, "invalid_grant", f"Bad credentials ({left} attempt{'s' * (left != 1)} left)"
            )
        self.conn.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?",
            (username,),
        )
        return Session(client_id, username, user["display_name"], now + self.ttl)

    def _record(self, client_id: str, username: str, known: bool, failures: _Failures) -> None:
        """Store the failures in a row (a lockout starts the count again)."""
        count = 0 if failures.locked_until else failures.count
        if known:
            self.conn.execute(
                "UPDATE users SET failed_logins = ?, locked_until = ? WHERE username = ?",
                (count, failures.locked_until, username),
            )
            return
        with self._lock:
            key = (client_id, username)
            self._strangers.pop(key, None)
            self._strangers[key] = _Failures(count, failures.locked_until)
            while len(self._strangers) > MAX_TRACKED_STRANGERS:
                del self._strangers[next(iter(self._strangers))]

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


def _locked(seconds: float) -> OAuthError:
    minutes = max(1, round(seconds / 60))
    return OAuthError(
        400,
        "invalid_grant",
        f"Account locked after {MAX_FAILED_LOGINS} failed attempts; try again in {minutes} min",
    )
