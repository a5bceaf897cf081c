"""Sends one operation: route lookup, auth header, encryption, retries, envelope, error mapping.

``EnkashClient`` builds bodies and reads payloads; everything about *how* a call travels is here.

Every call (sign-in, renewals and retries included) ends within ``deadline`` seconds, whatever
the server does; replies are read within the byte caps of ``transfer.py``. A call on its way is
listed in ``Caller.in_flight`` until it ends, so the app can stop waiting for it (Esc).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import httpx
from pydantic import SecretStr

from enkash_tui.api import crypto, envelope
from enkash_tui.api.auth import Credentials, TokenManager
from enkash_tui.api.call_record import UPLOAD_OPERATIONS, CallRecord, build_record
from enkash_tui.api.errors import (
    ApiError,
    CallStoppedError,
    NetworkError,
    ReadOnlyError,
    ResponseFormatError,
)
from enkash_tui.api.models import Token
from enkash_tui.api.retry import NOT_SENT_ERRORS, RETRYABLE_STATUSES, RetryPolicy, parse_retry_after
from enkash_tui.api.routes import READ_OPERATIONS, Route
from enkash_tui.api.transfer import Received, receive, reply_cap

Sleep = Callable[[float], Awaitable[None]]
Upload = tuple[str, bytes, str]  # (filename, content, content type)
T = TypeVar("T")

# Seconds a whole call may take, however slowly the server answers (httpx's own timeouts are
# per read: a byte a second never trips them).
DEFAULT_DEADLINE_SECONDS = 30.0


@dataclass(frozen=True)
class Reply:
    payload: Any
    message: str | None
    headers: httpx.Headers
    status_code: int = 200


@dataclass(eq=False)
class CallInFlight:
    """A call on its way to EnKash: which, since when (monotonic seconds), and who started it
    (whatever ``Caller.call_owner`` said, e.g. the app's worker). ``stop()`` ends it at once
    with a CallStoppedError."""

    operation: str
    changes: bool
    started: float
    owner: object = None
    stopped: bool = False
    _scope: asyncio.Timeout | None = field(default=None, repr=False)

    def stop(self) -> None:
        if self.stopped or self._scope is None:
            return
        self.stopped = True
        with contextlib.suppress(RuntimeError):  # it ended meanwhile
            self._scope.reschedule(asyncio.get_running_loop().time())


def _outcome(what: str, route: Route) -> str:
    """What a call that may have reached EnKash means for the user: a read can simply be asked
    again; a change may or may not have been applied."""
    if route.idempotent:
        return f"{what} Try again."
    return f"{what} The change may or may not have been applied: check before trying again."


def deadline_error(route: Route, operation: str, seconds: float) -> NetworkError:
    if operation == "login":
        what = f"EnKash did not finish answering the sign-in within {seconds:g} s. Try again."
        return NetworkError(what, may_have_reached_server=True)
    what = f"EnKash did not finish answering within {seconds:g} s."
    return NetworkError(_outcome(what, route), may_have_reached_server=True)


def stopped_error(route: Route, operation: str) -> CallStoppedError:
    what = f"Stopped waiting for EnKash ({operation.replace('_', ' ')})."
    if operation == "login":
        return CallStoppedError(f"{what} Not signed in.", may_have_reached_server=True)
    return CallStoppedError(_outcome(what, route), may_have_reached_server=True)


def network_error(error: httpx.HTTPError, route: Route, host: str) -> NetworkError:
    """Say what failed, and whether the request could have changed anything."""
    if isinstance(error, NOT_SENT_ERRORS):
        reason = str(error) or type(error).__name__
        if "SSL" in reason or "CERTIFICATE" in reason.upper():
            what = f"A secure (TLS) connection to {host} could not be set up: {reason}."
        else:
            what = f"Could not connect to {host}: {reason}."
        return NetworkError(
            f"{what} Nothing was sent, so nothing changed.", may_have_reached_server=False
        )
    if isinstance(error, httpx.TimeoutException):
        what = f"{host} did not answer in time."
    else:
        what = f"The connection to {host} broke ({type(error).__name__})."
    return NetworkError(_outcome(what, route), may_have_reached_server=True)


class Caller:
    def __init__(
        self,
        http: httpx.AsyncClient,
        routes: Mapping[str, Route],
        tokens: TokenManager,
        *,
        client_secret: SecretStr,
        encrypt_payloads: bool,
        retry: RetryPolicy,
        readonly: bool = False,
        sleep: Sleep = asyncio.sleep,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
    ) -> None:
        self.http = http
        self.routes = routes
        self.tokens = tokens
        self._client_secret = client_secret
        self.encrypt_payloads = encrypt_payloads
        self.retry = retry
        self.readonly = readonly
        self._sleep = sleep
        self.deadline = deadline
        # Calls on their way, oldest first; ``call_owner()`` names who starts each one.
        self.in_flight: list[CallInFlight] = []
        self.call_owner: Callable[[], object] | None = None
        # Told True when EnKash answers (anything), False on a transport failure.
        self.on_connection_change: Callable[[bool], None] | None = None
        # Told what every call that changes data did, once it ends (see call_record.py).
        self.on_call_record: Callable[[CallRecord], None] | None = None
        # Told, just before it is sent, of every call that changes data (a ``pending``
        # record with the same ``call_id`` as the final one), so that a change is on record
        # even if the app is killed while waiting for the reply.
        self.on_call_start: Callable[[CallRecord], None] | None = None

    @property
    def host(self) -> str:
        return self.http.base_url.host or str(self.http.base_url)

    async def login(self, credentials: Credentials) -> Token:
        route = self.routes["login"]

        async def sign_in() -> Token:
            try:
                return await self.tokens.login(self.http, route.path, credentials)
            except httpx.HTTPError as error:
                raise network_error(error, route, self.host) from None

        return await self._within_deadline(route, "login", sign_in)

    async def call(
        self,
        operation: str,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        json_body: Any = None,
        upload: Upload | None = None,
    ) -> Reply:
        route = self.routes[operation]
        if self.readonly and operation not in READ_OPERATIONS:
            # Not recorded: a refusal that never left the machine is not an action.
            raise ReadOnlyError(f"{operation} changes data, and this session is read-only")
        url = route.url(**(path_params or {}))
        params = {k: v for k, v in (query or {}).items() if v is not None}
        if operation in READ_OPERATIONS:
            return await self._attempt(operation, route, url, params, json_body, upload)
        record = partial(
            build_record,
            operation,
            route,
            url,
            path_params=path_params,
            query=params,
            json_body=json_body,
            upload_name=upload[0] if upload is not None else None,
            call_id=uuid.uuid4().hex,
        )
        # On record before it leaves: the listener writes (and syncs) before this returns.
        self._record(partial(record, pending=True), self.on_call_start)
        try:
            reply = await self._attempt(operation, route, url, params, json_body, upload)
        except BaseException as error:  # cancelled too: the change may have been applied
            self._record(partial(record, error=error), self.on_call_record)
            raise
        self._record(
            partial(
                record,
                payload=reply.payload,
                message=reply.message,
                status=reply.status_code,
                headers=reply.headers,
            ),
            self.on_call_record,
        )
        return reply

    async def fetch(
        self,
        operation: str,
        *,
        query: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> Callable[[], Reply]:
        """A read sent as ``call`` sends it (token, retries, deadline, size cap), its reply left
        unread: what this returns reads it as ``call`` does (JSON, decryption, the envelope, its
        errors) when called, plain code that may run in a thread. Reads only: a change's reply
        is part of its record."""
        route = self.routes[operation]
        if operation not in READ_OPERATIONS:
            raise ValueError(f"{operation} changes data: its reply is read as it comes")
        url = route.url()
        params = {k: v for k, v in (query or {}).items() if v is not None}
        received = await self._within_deadline(
            route, operation, partial(self._attempts, route, url, params, json_body, None)
        )
        return partial(self._read, received)

    async def resend(
        self,
        operation: str,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> Reply:
        """Send a recorded change again, exactly as it was sent (the action log's retry).

        Uploads are not re-sent: their file is not kept. The new attempt is recorded too."""
        if operation in UPLOAD_OPERATIONS or operation == "login":
            raise ValueError(f"{operation} cannot be sent again from a record")
        return await self.call(operation, path_params=path_params, query=query, json_body=json_body)

    def _record(
        self, build: Callable[[], CallRecord], listener: Callable[[CallRecord], None] | None
    ) -> None:
        if listener is None:
            return
        # The action log is a bystander: failing to write it must not turn a call that worked
        # into one that looks failed, nor hide the call's own error. So its errors are dropped.
        with contextlib.suppress(Exception):
            listener(build())

    async def _within_deadline(
        self, route: Route, operation: str, run: Callable[[], Awaitable[T]]
    ) -> T:
        """``run()`` as one call: listed in ``in_flight``, ended by the deadline or by stop()."""
        owner = self.call_owner() if self.call_owner is not None else None
        flight = CallInFlight(operation, operation not in READ_OPERATIONS, time.monotonic(), owner)
        self.in_flight.append(flight)
        try:
            async with asyncio.timeout(self.deadline) as scope:
                flight._scope = scope
                return await run()
        except TimeoutError:
            if flight.stopped:
                raise stopped_error(route, operation) from None
            if not scope.expired():
                raise  # not ours
            self._reachable(False)
            raise deadline_error(route, operation, self.deadline) from None
        finally:
            self.in_flight.remove(flight)

    async def _attempt(
        self,
        operation: str,
        route: Route,
        url: str,
        params: Mapping[str, Any],
        json_body: Any,
        upload: Upload | None,
    ) -> Reply:
        """The whole call, within the deadline (see _within_deadline and _attempts)."""

        async def send_and_read() -> Reply:
            return self._read(await self._attempts(route, url, params, json_body, upload))

        return await self._within_deadline(route, operation, send_and_read)

    async def _attempts(
        self,
        route: Route,
        url: str,
        params: Mapping[str, Any],
        json_body: Any,
        upload: Upload | None,
    ) -> Received:
        """Send, renewing the token and retrying (idempotent routes only) as needed; the reply
        as received (``_read`` reads it)."""
        attempts = self.retry.attempts if route.idempotent else 1
        renewed = False
        attempt = 0
        while True:
            attempt += 1
            try:
                if self.tokens.needs_renewal():
                    await self.tokens.renew(self.http, self.routes["login"].path, -1)
                generation = self.tokens.generation
                response = await self._send(route, url, params, json_body, upload)
            except httpx.HTTPError as error:
                if attempt < attempts and isinstance(error, NOT_SENT_ERRORS):
                    await self._sleep(self.retry.delay(attempt))
                    continue
                self._reachable(False)
                raise network_error(error, route, self.host) from None
            self._reachable(True)
            if response.status_code == 401 and not renewed:
                # The token was refused: sign in again once with the remembered credentials.
                renewed = True
                await self._renew_after_401(generation)
                continue
            if response.status_code in RETRYABLE_STATUSES and attempt < attempts:
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                await self._sleep(self.retry.delay(attempt, retry_after))
                continue
            return response

    def _reachable(self, reachable: bool) -> None:
        if self.on_connection_change is not None:
            self.on_connection_change(reachable)

    async def _renew_after_401(self, generation: int) -> None:
        try:
            await self.tokens.renew(self.http, self.routes["login"].path, generation)
        except httpx.HTTPError as error:
            raise network_error(error, self.routes["login"], self.host) from None

    async def _send(
        self,
        route: Route,
        url: str,
        params: Mapping[str, Any],
        json_body: Any,
        upload: Upload | None,
    ) -> Received:
        headers = {"Authorization": self.tokens.authorization(), "Accept": "application/json"}
        content: bytes | None = None
        files = None
        if upload is not None:
            files = {"file": upload}
        elif json_body is not None:
            text = json.dumps(json_body, separators=(",", ":"), ensure_ascii=False)
            if self.encrypt_payloads:
                text = json.dumps(crypto.wrap(text, self._client_secret.get_secret_value()))
            content = text.encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = self.http.build_request(
            route.method, url, params=params, content=content, files=files, headers=headers
        )
        return await receive(self.http, request, reply_cap(params, upload=upload is not None))

    def _read(self, response: Received) -> Reply:
        body = self._decode(response)
        try:
            payload, message = envelope.unwrap(response.status_code, body)
        except ApiError as error:
            if error.retry_after is None and response.status_code == 429:
                error.retry_after = parse_retry_after(response.headers.get("retry-after"))
            raise
        return Reply(payload, message, response.headers, response.status_code)

    def _decode(self, response: Received) -> Any:
        if not response.content:
            return None
        try:
            body = envelope.loads(response.content)
        except ValueError:
            if response.status_code >= 400:
                return None  # e.g. an HTML error page from a proxy: the status says enough
            raise ResponseFormatError("EnKash's reply is not JSON") from None
        ciphertext = crypto.encrypted_text(body) if self.encrypt_payloads else None
        if ciphertext is None:
            return body
        try:
            return envelope.loads(
                crypto.decrypt(ciphertext, self._client_secret.get_secret_value())
            )
        except ValueError:  # bad ciphertext, or plaintext that is not JSON
            raise ResponseFormatError(
                "EnKash's encrypted reply could not be decrypted with this client secret"
            ) from None
