"""What one call that changes data did: the raw material of the local action log.

``Caller.call`` builds a :class:`CallRecord` for every operation outside ``READ_OPERATIONS``
(sign-in excepted) twice: a ``pending`` one just before sending (its ``on_call_start``
listener), so a change is on record even when the app is killed before EnKash answers, and the
final one once it has been attempted, whatever happened (its ``on_call_record`` listener). Both
carry the same ``call_id``. A record never holds a header, a token or an uploaded file's content;
the body is the JSON as sent (the action log scrubs secret-looking keys again before writing).

Not recorded: a read-only session's refusal (``ReadOnlyError``) and a call whose path parameters
are unusable: neither ever left the machine, so there is no action to log.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from enkash_tui.api.errors import ApiError, EnkashError, NetworkError, ResponseFormatError
from enkash_tui.api.routes import Route
from enkash_tui.api.text import clean, clean_or_none

# pending: sent, no answer yet | ok: all of it done | partial: some rows or invoices done, some
# not | failed: nothing done (EnKash said no, or nothing left) | unknown: may have been applied.
Outcome = Literal["pending", "ok", "partial", "failed", "unknown"]
OUTCOMES: tuple[Outcome, ...] = ("pending", "ok", "partial", "failed", "unknown")
PENDING_MESSAGE = "Sent to EnKash: no answer yet"

# Multipart uploads: logged by file name only, so never re-sent from the log.
UPLOAD_OPERATIONS = frozenset(
    {"bulk_create_customers", "bulk_update_customers", "bulk_create_invoices"}
)
# Body and query keys whose values name the records a call acts on.
_ID_KEYS = ("customerId", "invoiceId", "customerReminderId", "paymentId")
_ID_LIST_KEYS = ("invoiceIds", "customerIds")
# Reply headers that may carry the server's request id on a success.
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id")


@dataclass(frozen=True)
class Counts:
    """What a per-invoice or per-row reply says was done and not done."""

    done: int
    failed: int  # invoices EnKash did not act on, or rows it refused
    unit: Literal["invoices", "rows"]

    @property
    def total(self) -> int:
        return self.done + self.failed

    @property
    def outcome(self) -> Outcome:
        if not self.failed:
            return "ok"
        return "partial" if self.done else "failed"


@dataclass(frozen=True)
class CallRecord:
    """One change, as the client saw it: about to be sent (``pending``), or once it ended."""

    operation: str
    method: str
    path: str  # the resolved path, e.g. /api/v0/customer/KC1A2B3C4D5E6F7G
    outcome: Outcome  # see ``Outcome``
    retry_safe: bool  # nothing changed (or repeating it is harmless): may be sent again
    target_ids: tuple[str, ...] = ()
    http_status: int | None = None
    message: str | None = None
    request_id: str | None = None
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None  # the JSON body as sent, for a later retry
    upload_name: str | None = None  # uploads: the file's name, never its content
    call_id: str = ""  # the same on the pending record and the final one
    counts: Counts | None = None  # per-invoice or per-row results, when the reply has them

    def __post_init__(self) -> None:
        # The summary, the ids and the request id may quote the reply (or its headers, where a
        # C1 byte can hide): the log shows them, so they are cleaned like any server text.
        object.__setattr__(self, "message", clean_or_none(self.message))
        object.__setattr__(self, "request_id", clean_or_none(self.request_id))
        object.__setattr__(self, "target_ids", tuple(clean(i) for i in self.target_ids))


def _add(found: list[str], value: Any) -> None:
    if isinstance(value, str | int) and not isinstance(value, bool):
        text = str(value)
        if text and text not in found:
            found.append(text)


def target_ids(
    path_params: Mapping[str, str] | None,
    query: Mapping[str, Any] | None,
    body: Any,
    upload_name: str | None,
    payload: Any = None,
) -> tuple[str, ...]:
    """Ids the call acted on: path parameters, id keys of the query and body, the id of a record
    the reply created, and an upload's file name."""
    found: list[str] = []
    for value in (path_params or {}).values():
        _add(found, value)
    for source in (query or {}, body, payload):
        if not isinstance(source, Mapping):
            continue
        for key in _ID_LIST_KEYS:
            values = source.get(key)
            if isinstance(values, list):
                for value in values:
                    _add(found, value)
        for key in _ID_KEYS:
            _add(found, source.get(key))
    if upload_name:
        _add(found, upload_name)
    return tuple(found)


def _count(value: Any) -> int | None:
    """A count from the reply, or None when it is not a non-negative whole number."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def counts(payload: Any) -> Counts | None:
    """Done / not done, from a per-invoice action result or a bulk upload's row counts; None
    when the reply has neither (a single change: its envelope says it all)."""
    if not isinstance(payload, Mapping):
        return None
    done, failed = payload.get("successInvoices"), payload.get("failureInvoices")
    if isinstance(done, list) and isinstance(failed, list):
        return Counts(len(done), len(failed), "invoices")
    if "total_count" in payload or "success_count" in payload or "failure_count" in payload:
        success = _count(payload.get("success_count", 0))
        refused = _count(payload.get("failure_count", 0))
        total = _count(payload.get("total_count", 0))
        if success is None or refused is None or total is None:
            raise ValueError("the row counts of the reply are not counts")
        # Rows the reply neither counts as done nor as refused did not provably work.
        return Counts(success, max(refused, total - success), "rows")
    return None


def summary(payload: Any, message: str | None) -> str | None:
    """What a call that worked did: per-invoice and per-row results say more than "SUCCESS"."""
    found = counts(payload)
    if found is None:
        return message
    assert isinstance(payload, Mapping)  # counts() found some
    if found.unit == "rows":
        return f"{found.done} of {found.total} rows done, {found.failed} refused"
    failed = payload.get("failureInvoices") or []
    text = f"{found.done} done, {found.failed} failed"
    reasons = [
        f"{item.get('invoiceId') or '?'}: {item.get('message') or 'failed'}"
        for item in failed[:3]
        if isinstance(item, Mapping)
    ]
    if reasons:
        more = "; …" if len(failed) > len(reasons) else ""
        text += f" ({'; '.join(reasons)}{more})"
    return text


def _request_id(headers: httpx.Headers | None) -> str | None:
    if headers is None:
        return None
    return next((headers[name] for name in _REQUEST_ID_HEADERS if name in headers), None)


def _failure(error: BaseException, route: Route) -> tuple[Outcome, bool, int | None, str]:
    """(outcome, retry_safe, http status, message) for a call that raised ``error``."""
    if isinstance(error, NetworkError):
        if not error.may_have_reached_server:
            return "failed", True, None, error.message
        if route.idempotent:  # a timeout on a set-to-a-state call: doing it again is harmless
            return "failed", True, None, error.message
        return "unknown", False, None, error.message
    if isinstance(error, ApiError):
        status = error.status_code
        # Rate limited, or a server failure on a set-to-a-state call: nothing happened twice.
        safe = status == 429 or (status >= 500 and route.idempotent)
        return "failed", safe, status, error.message
    if isinstance(error, ResponseFormatError):
        # EnKash answered with success but in a shape we cannot read: it may well have applied.
        return "unknown", False, None, error.message
    if isinstance(error, EnkashError):  # e.g. encryption unavailable: refused before sending
        return "failed", False, None, error.message
    if isinstance(error, asyncio.CancelledError):
        return "unknown", False, None, "Cancelled before EnKash answered: it may have been applied"
    # A bug somewhere on the way: whether it applied cannot be known.
    text = str(error) or type(error).__name__
    return "unknown", False, None, f"Stopped before EnKash answered ({text})"


def build_record(
    operation: str,
    route: Route,
    path: str,
    *,
    path_params: Mapping[str, str] | None,
    query: Mapping[str, Any] | None,
    json_body: Any,
    upload_name: str | None,
    payload: Any = None,
    message: str | None = None,
    status: int | None = None,
    headers: httpx.Headers | None = None,
    error: BaseException | None = None,
    pending: bool = False,
    call_id: str = "",
) -> CallRecord:
    """The record of a call about to be sent (``pending``), or that returned (``error`` None)
    or raised ``error``."""
    body = None if upload_name else copy.deepcopy(json_body)
    request_id = _request_id(headers)
    found: Counts | None = None
    outcome: Outcome
    if pending:
        outcome, retry_safe, message = "pending", False, PENDING_MESSAGE
    elif error is None:
        retry_safe = False  # EnKash answered success: sending it all again would repeat it
        try:
            found = counts(payload)
        except ValueError as unreadable:
            outcome, message = "unknown", f"EnKash answered, but {unreadable}: check the records"
        else:
            outcome = found.outcome if found is not None else "ok"
            message = summary(payload, message)
    else:
        outcome, retry_safe, status, message = _failure(error, route)
        request_id = getattr(error, "request_id", None) or request_id
    if upload_name:
        retry_safe = False  # the file is not kept: upload it again from its screen
    return CallRecord(
        operation=operation,
        method=route.method,
        path=path,
        outcome=outcome,
        retry_safe=retry_safe,
        target_ids=target_ids(path_params, query, body, upload_name, payload),
        http_status=status,
        message=message,
        request_id=request_id,
        path_params=dict(path_params or {}),
        query=dict(query or {}),
        body=body,
        upload_name=upload_name,
        call_id=call_id,
        counts=found,
    )
