"""The service layer: one async client for the whole EnKash AR API. Never imports textual.

Names are loaded on first use (PEP 562), so importing a light part such as ``api.urls`` or
``api.routes`` does not pull in httpx and every model: the sign-in screen paints sooner.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

# httpx imports its own command-line tool (click, rich, pygments: 0.14 s) whenever click is
# installed, as uvicorn installs it. Nothing here runs that tool: an empty module in its place
# makes httpx skip it (its import fails, and httpx falls back to a stub of its own).
sys.modules.setdefault("httpx._main", ModuleType("httpx._main"))

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient
    from enkash_tui.api.errors import (
        ApiError,
        AuthError,
        CallStoppedError,
        EncryptionUnavailableError,
        EnkashError,
        ErrorType,
        FieldError,
        NetworkError,
        ReadOnlyError,
        ResponseFormatError,
        ResponseTooLargeError,
        field_errors_from_validation,
    )
    from enkash_tui.api.pages import Page
    from enkash_tui.api.retry import RetryPolicy
    from enkash_tui.api.routes import DEFAULT_ROUTES, Route, build_routes
    from enkash_tui.api.urls import check_base_url

_EXPORTS = {
    "EnkashClient": "client",
    "ApiError": "errors",
    "AuthError": "errors",
    "CallStoppedError": "errors",
    "EncryptionUnavailableError": "errors",
    "EnkashError": "errors",
    "ErrorType": "errors",
    "FieldError": "errors",
    "NetworkError": "errors",
    "ReadOnlyError": "errors",
    "ResponseFormatError": "errors",
    "ResponseTooLargeError": "errors",
    "field_errors_from_validation": "errors",
    "Page": "pages",
    "RetryPolicy": "retry",
    "DEFAULT_ROUTES": "routes",
    "Route": "routes",
    "build_routes": "routes",
    "check_base_url": "urls",
}

__all__ = [
    "DEFAULT_ROUTES",
    "ApiError",
    "AuthError",
    "CallStoppedError",
    "EncryptionUnavailableError",
    "EnkashClient",
    "EnkashError",
    "ErrorType",
    "FieldError",
    "NetworkError",
    "Page",
    "ReadOnlyError",
    "ResponseFormatError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "Route",
    "build_routes",
    "check_base_url",
    "field_errors_from_validation",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
