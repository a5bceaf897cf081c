"""The service layer: one async client for the whole EnKash AR API. Never imports textual."""

from .client import EnkashClient, check_base_url
from .errors import (
    ApiError,
    AuthError,
    EncryptionUnavailableError,
    EnkashError,
    ErrorType,
    FieldError,
    NetworkError,
    ResponseFormatError,
    field_errors_from_validation,
)
from .pages import Page
from .retry import RetryPolicy
from .routes import DEFAULT_ROUTES, Route, build_routes

__all__ = [
    "DEFAULT_ROUTES",
    "ApiError",
    "AuthError",
    "EncryptionUnavailableError",
    "EnkashClient",
    "EnkashError",
    "ErrorType",
    "FieldError",
    "NetworkError",
    "Page",
    "ResponseFormatError",
    "RetryPolicy",
    "Route",
    "build_routes",
    "check_base_url",
    "field_errors_from_validation",
]
