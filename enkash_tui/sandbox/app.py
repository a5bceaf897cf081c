"""The sandbox's Starlette application: the route table, auth, faults, encryption, envelope."""

from __future__ import annotations

import functools
import logging
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from enkash_tui.api import crypto
from enkash_tui.api.errors import ErrorType
from enkash_tui.api.routes import build_routes
from enkash_tui.sandbox.context import Call, Listing
from enkash_tui.sandbox.db import limit_error
from enkash_tui.sandbox.envelope import SandboxError, dumps, failure, success
from enkash_tui.sandbox.faults import Faults
from enkash_tui.sandbox.request_body import BodyLimit, parse_json
from enkash_tui.sandbox.routes import (
    bharat_connect,
    bulk,
    buyer,
    customers,
    invoice_search,
    invoices,
    reminders,
)
from enkash_tui.sandbox.settings import SandboxSettings
from enkash_tui.sandbox.tokens import OAuthError, Session, TokenIssuer

log = logging.getLogger("enkash_tui.sandbox")
Handler = Callable[[Call], Awaitable[Any]]

HANDLERS: dict[str, Handler] = {
    "create_customer": customers.create_customer,
    "search_customers": customers.search_customers,
    "update_customer": customers.update_customer,
    "activate_customer": customers.activate_customer,
    "deactivate_customer": customers.deactivate_customer,
    "delete_customer": customers.delete_customer,
    "bulk_create_customers": bulk.bulk_create_customers,
    "bulk_update_customers": bulk.bulk_update_customers,
    "get_customer_contacts": customers.get_customer_contacts,
    "create_invoice": invoices.create_invoice,
    "bulk_create_invoices": bulk.bulk_create_invoices,
    "dispatch_invoices": invoices.dispatch_invoices,
    "delete_invoices": invoices.delete_invoices,
    "search_invoices": invoice_search.search_invoices,
    "get_invoice": invoices.get_invoice,
    "update_invoice": invoices.update_invoice,
    "create_reminder": reminders.create_reminder,
    "list_reminders": reminders.list_reminders,
    "get_reminder": reminders.get_reminder,
    "update_reminder": reminders.update_reminder,
    "delete_reminder": reminders.delete_reminder,
    "confirm_payment": bharat_connect.confirm_payment,
    "change_invoice_status": bharat_connect.change_invoice_status,
}
# The sandbox's own controls, not EnKash APIs (so not in the client's route table):
# (method, path, handler). They take the same bearer token, in plain JSON, without faults.
SANDBOX_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/sandbox/buyer/{invoiceId}", buyer.buyer_action),
)


async def _form(request: Request) -> FormData:
    """The form fields; a form Starlette cannot read (malformed, a field over its size) is a
    400 in words rather than its plain-text error."""
    try:
        return await request.form()
    except HTTPException as error:
        raise SandboxError(ErrorType.VALIDATION_ERROR, f"Unreadable form: {error.detail}") from None


class Sandbox:
    """Holds the database, token issuer and fault knobs that every endpoint shares."""

    def __init__(self, settings: SandboxSettings, conn: sqlite3.Connection) -> None:
        self.settings = settings
        self.conn = conn
        self.tokens = TokenIssuer(
            conn,
            ttl=settings.token_ttl,
            lockout_seconds=settings.lockout_seconds,
            shape=settings.token_shape,
        )
        self.faults = Faults(settings)

    def _reply(
        self, body: Any, status: int = 200, *, secret: str | None = None, headers: Any = None
    ) -> Response:
        if secret is not None:
            body = crypto.wrap(dumps(body).decode("utf-8"), secret)
        return Response(dumps(body), status, headers=headers, media_type="application/json")

    def _error(
        self, error: SandboxError, request_id: str, secret: str | None = None, headers: Any = None
    ) -> Response:
        return self._reply(
            failure(error, request_id=request_id), error.http_status, secret=secret, headers=headers
        )

    async def token(self, request: Request) -> Response:
        try:
            form = await _form(request)
            fields = {key: value for key, value in form.items() if isinstance(value, str)}
            body = self.tokens.issue(request.headers.get("authorization"), fields)
        except SandboxError as error:
            return JSONResponse(
                {"error": "invalid_request", "error_description": error.message}, 400
            )
        except OAuthError as error:
            return JSONResponse(error.body, error.status)
        return JSONResponse(body)

    def _client_secret(self, company_id: str) -> str | None:
        """The key for an encrypting client, or None when its payloads are plain."""
        row = self.conn.execute(
            "SELECT client_secret, encrypted FROM companies WHERE company_id = ?", (company_id,)
        ).fetchone()
        return row["client_secret"] if row and row["encrypted"] else None

    async def _read_body(self, request: Request, secret: str | None) -> tuple[Any, Any]:
        """(JSON body, (filename, bytes) upload) of the request."""
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            form = await _form(request)
            part = form.get("file")
            if isinstance(part, UploadFile):
                return None, (part.filename or "upload", await part.read())
            return None, None
        raw = await request.body()
        if not raw:
            return None, None
        body = parse_json(raw)
        if secret is None:
            return body, None
        ciphertext = crypto.encrypted_text(body)
        try:
            if ciphertext is None:
                raise ValueError("not wrapped")
            plain = crypto.decrypt(ciphertext, secret)
        except ValueError:
            raise SandboxError(
                ErrorType.UNPROCESSABLE_REQUEST, "Invalid encrypted request", status=422
            ) from None
        return parse_json(plain), None

    def endpoint(
        self, handler: Handler, *, control: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        """An API endpoint: auth, faults, encryption, envelope. A ``control`` endpoint (the
        sandbox's own) only checks the token: no injected faults, always plain JSON."""

        async def run(request: Request) -> Response:
            request_id = str(uuid.uuid4())
            if not control:
                await self.faults.delay()
            session = self.tokens.session(request.headers.get("authorization"))
            if session is None:
                error = SandboxError(ErrorType.UNAUTHORIZED, "Invalid or expired access token")
                return self._error(error, request_id)
            if control:
                return await self._handle(request, request_id, handler, session, None)
            secret = self._client_secret(session.company_id)
            wait = self.faults.retry_after(request.headers["authorization"])
            if wait is not None:
                error = SandboxError(
                    ErrorType.CLIENT_REQUEST_ERROR, "Too many requests", status=429
                )
                headers = {"Retry-After": f"{wait:.2f}"}
                return self._error(error, request_id, secret, headers)
            status = self.faults.failure_status()
            if status is not None:
                error = SandboxError(
                    ErrorType.SYSTEM_ERROR, "Injected failure (sandbox fault knob)", status=status
                )
                return self._error(error, request_id, secret)
            return await self._handle(request, request_id, handler, session, secret)

        return run

    async def _handle(
        self,
        request: Request,
        request_id: str,
        handler: Handler,
        session: Session,
        secret: str | None,
    ) -> Response:
        try:
            body, upload = await self._read_body(request, secret)
        except SandboxError as error:
            # A request that was not encrypted gets its error in plain JSON, or the caller
            # could not read why it was refused.
            return self._error(error, request_id)
        try:
            call = Call(
                conn=self.conn,
                company_id=session.company_id,
                username=session.username,
                display_name=session.display_name,
                params=dict(request.path_params),
                query=dict(request.query_params),
                body=body,
                upload=upload,
            )
            result = await handler(call)
        except SandboxError as error:
            return self._error(error, request_id, secret)
        except sqlite3.OperationalError as error:
            # The bounds on filters should keep SQLite within its limits; should a build's
            # limits be lower, the caller still learns what to change.
            refused = limit_error(error)
            if refused is None:
                log.exception("sandbox handler failed (request %s)", request_id)
                refused = SandboxError(ErrorType.SYSTEM_ERROR, "Unexpected sandbox error")
            return self._error(refused, request_id, secret)
        except Exception:
            log.exception("sandbox handler failed (request %s)", request_id)
            unexpected = SandboxError(ErrorType.SYSTEM_ERROR, "Unexpected sandbox error")
            return self._error(unexpected, request_id, secret)
        if isinstance(result, Listing):
            headers = {"X-Total-Count": str(result.total)}
            if result.balance_paise is not None:
                headers["X-Total-Balance-Amount"] = f"{result.balance_paise / 100:.2f}"
            return self._reply(success(result.items), secret=secret, headers=headers)
        return self._reply(success(result), secret=secret)

    async def not_found(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        kind = ErrorType.RECORD_NOT_FOUND if status == 404 else ErrorType.CLIENT_REQUEST_ERROR
        message = f"No operation at {request.method} {request.url.path}"
        error = SandboxError(kind, message, status=status)
        # A 405 says which methods the path takes (Allow, RFC 9110): every route's on that path,
        # not only the one Starlette tried (GET and PATCH share an invoice's path).
        allowed = None
        if status == 405:
            path = request.url.path
            routes = [r for r in request.app.router.routes if isinstance(r, Route)]
            methods = {m for r in routes if r.path_regex.fullmatch(path) for m in r.methods or ()}
            allowed = {"Allow": ", ".join(sorted(methods))}
        return self._error(error, str(uuid.uuid4()), headers=allowed)


def _described(table: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document of ``table``; its builder loads only when someone asks."""
    from enkash_tui.api.openapi import build_document

    return build_document(table)


def create_app(settings: SandboxSettings, conn: sqlite3.Connection) -> Starlette:
    """The ASGI app serving every operation of the client's route table."""
    sandbox = Sandbox(settings, conn)
    table = build_routes()
    routes = [Route(table["login"].path, sandbox.token, methods=["POST"])]
    for operation, handler in HANDLERS.items():
        route = table[operation]
        routes.append(Route(route.path, sandbox.endpoint(handler), methods=[route.method]))
    for method, path, handler in SANDBOX_ROUTES:
        routes.append(Route(path, sandbox.endpoint(handler, control=True), methods=[method]))
    # The API it serves, described: the same document as `enkash-tui openapi`. No sign-in.
    # Built on the first request: most sandboxes (every test's) are never asked.
    described = functools.cache(lambda: _described(table))
    routes.append(Route("/openapi.json", lambda _: JSONResponse(described()), methods=["GET"]))
    ticker = buyer.BuyerTicker(conn, settings.buyer_every) if settings.buyer_every > 0 else None

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The simulated buyer runs on the server's event loop, between requests.
        if ticker is not None:
            ticker.start()
        try:
            yield
        finally:
            if ticker is not None:
                await ticker.stop()

    app = Starlette(
        routes=routes,
        exception_handlers={404: sandbox.not_found, 405: sandbox.not_found},
        middleware=[Middleware(BodyLimit)],
        lifespan=lifespan,
    )
    app.state.sandbox = sandbox
    app.state.buyer_ticker = ticker
    return app
