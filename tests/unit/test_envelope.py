"""The ResponseDTO envelope and the typed errors it turns into (enkash-ar-api.md §3.1, §3.2, §6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from enkash_tui.api import envelope
from enkash_tui.api.errors import (
    ApiError,
    AuthError,
    EnkashError,
    ErrorType,
    FieldError,
    ResponseFormatError,
)

# §3.1 documented example: a success that still carries the placeholder errorResponse.
DOCUMENTED_SUCCESS = {
    "errorResponse": {
        "apiSubErrors": [{}],
        "errorMessage": "string",
        "errorType": "CLIENT_REQUEST_ABORT",
        "requestId": "string",
        "timestamp": "yyyy-MM-dd HH:mm:ss",
    },
    "payload": {},
    "response_code": 0,
    "response_message": "string",
}

# §3.1 reconstructed failure.
NOT_FOUND = {
    "response_code": 1,
    "response_message": "Customer not found",
    "errorResponse": {
        "errorType": "RECORD_NOT_FOUND",
        "errorMessage": "Customer not found",
        "requestId": "9f1c2d7e-0001",
        "timestamp": "2025-07-07 18:44:29",
        "apiSubErrors": [],
    },
    "payload": None,
}


def raised(status: int, body: Any) -> ApiError:
    with pytest.raises(ApiError) as caught:
        envelope.unwrap(status, body)
    return caught.value


# --- success -----------------------------------------------------------------------------------


def test_success_returns_payload_and_message() -> None:
    body = {"response_code": 0, "response_message": "SUCCESS", "payload": {"customerId": "KC1"}}
    assert envelope.unwrap(200, body) == ({"customerId": "KC1"}, "SUCCESS")


def test_success_with_documented_placeholder_error_response() -> None:
    assert envelope.unwrap(200, DOCUMENTED_SUCCESS) == ({}, "string")


@pytest.mark.parametrize("payload", [None, "Customer deleted", [1, 2], 0, {"a": [1]}])
def test_success_payload_any_type(payload: Any) -> None:
    body = {"response_code": 0, "response_message": "OK", "payload": payload}
    assert envelope.unwrap(200, body) == (payload, "OK")


def test_success_without_payload_or_message() -> None:
    assert envelope.unwrap(200, {"response_code": 0}) == (None, None)


def test_success_response_code_as_text() -> None:
    assert envelope.unwrap(200, {"response_code": "0", "payload": 5}) == (5, None)


def test_success_status_201_accepted() -> None:
    assert envelope.unwrap(201, {"response_code": 0, "payload": "x"}) == ("x", None)


# --- response_code 1 under HTTP 200 --------------------------------------------------------------


def test_failure_under_http_200_raises_api_error() -> None:
    error = raised(200, NOT_FOUND)
    assert type(error) is ApiError
    assert error.status_code == 200
    assert error.error_type == ErrorType.RECORD_NOT_FOUND
    assert error.message == "Customer not found"
    assert error.request_id == "9f1c2d7e-0001"
    assert error.timestamp == "2025-07-07 18:44:29"
    assert error.field_errors == []
    assert error.title == "Not found"


def test_failure_field_errors_from_spring_sub_errors() -> None:
    body = {
        "response_code": 1,
        "response_message": "Validation failed",
        "errorResponse": {
            "errorType": "VALIDATION_ERROR",
            "errorMessage": "Validation failed",
            "requestId": "req-42",
            "timestamp": "2025-07-07 18:44:29",
            "apiSubErrors": [
                {
                    "object": "customerCreateDTO",
                    "field": "customerKeyContacts[0].mobile",
                    "rejectedValue": "12",
                    "message": "must match pattern",
                },
                {},
                {
                    "object": "customerCreateDTO",
                    "field": "legalName",
                    "message": "must not be blank",
                },
                {"object": "customerCreateDTO", "message": "is inconsistent"},
            ],
        },
        "payload": None,
    }
    error = raised(200, body)
    assert error.error_type == "VALIDATION_ERROR"
    assert error.title == "Invalid input"
    assert error.field_errors == [
        FieldError("customerKeyContacts[0].mobile", "must match pattern", "12"),
        FieldError("legalName", "must not be blank", None),
        FieldError("customerCreateDTO", "is inconsistent", None),
    ]
    assert error.errors_for("legalName") == ["must not be blank"]
    assert error.errors_for("address") == []


def test_documented_placeholder_sub_errors_are_skipped() -> None:
    body = dict(DOCUMENTED_SUCCESS, response_code=1)
    error = raised(200, body)
    assert error.field_errors == []
    assert error.error_type == "CLIENT_REQUEST_ABORT"
    assert error.title == "Request aborted"
    assert error.message == "string"


def test_errors_for_includes_nested_fields() -> None:
    error = ApiError(
        "bad",
        status_code=400,
        error_type="VALIDATION_ERROR",
        field_errors=[
            FieldError("customerKeyContacts.0.mobile", "bad mobile"),
            FieldError("customerKeyContactsExtra", "other"),
        ],
    )
    assert error.errors_for("customerKeyContacts") == ["bad mobile"]
    assert error.errors_for("customerKeyContacts.0.mobile") == ["bad mobile"]


def test_failure_without_error_response_uses_response_message() -> None:
    error = raised(200, {"response_code": 1, "response_message": "Invoice already dispatched"})
    assert error.message == "Invoice already dispatched"
    assert error.error_type == ErrorType.UNKNOWN_ERROR
    assert error.request_id is None


def test_rewards_style_failure_message() -> None:
    body = {
        "response_code": 1,
        "response_message": "Insufficient balance",
        "payload": "Insufficient balance",
    }
    error = raised(200, body)
    assert error.message == "Insufficient balance"
    assert str(error) == "Insufficient balance"


def test_failure_message_from_payload_string_when_no_response_message() -> None:
    error = raised(200, {"response_code": 1, "payload": "Insufficient balance in card account"})
    assert error.message == "Insufficient balance in card account"


def test_error_message_prefers_error_response_then_response_message() -> None:
    body = {
        "response_code": 1,
        "response_message": "Top-level reason",
        "errorResponse": {"errorType": "UNPROCESSABLE_REQUEST", "requestId": "r1"},
    }
    error = raised(200, body)
    assert error.message == "Top-level reason"
    assert error.error_type == "UNPROCESSABLE_REQUEST"
    assert error.title == "Cannot be done"


def test_unauthorized_error_type_under_200_is_auth_error() -> None:
    body = {"response_code": 1, "errorResponse": {"errorType": "UNAUTHORIZED", "errorMessage": "x"}}
    error = raised(200, body)
    assert isinstance(error, AuthError)


# --- HTTP errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, "VALIDATION_ERROR"),
        (401, "UNAUTHORIZED"),
        (403, "INVALID_ACCESS"),
        (404, "RECORD_NOT_FOUND"),
        (422, "UNPROCESSABLE_REQUEST"),
        (500, "SYSTEM_ERROR"),
    ],
)
@pytest.mark.parametrize("body", [None, "", b"", "<html>Bad Gateway</html>", [], {}])
def test_http_error_without_envelope_maps_documented_type(
    status: int, error_type: str, body: Any
) -> None:
    error = raised(status, body)
    assert error.status_code == status
    assert error.error_type == error_type
    assert isinstance(error, AuthError) == (status == 401)
    assert error.message
    assert error.field_errors == []
    assert error.request_id is None


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_system_errors_with_readable_message(status: int) -> None:
    error = raised(status, None)
    assert error.error_type == "SYSTEM_ERROR"
    assert str(status) in error.message


def test_http_error_with_envelope_uses_its_details() -> None:
    body = {
        "response_code": 1,
        "response_message": "Customer KC1 not found",
        "errorResponse": {
            "errorType": "RECORD_NOT_FOUND",
            "errorMessage": "Customer KC1 not found",
            "requestId": "abc-123",
            "timestamp": "2025-07-07 18:44:29",
            "apiSubErrors": [],
        },
    }
    error = raised(404, body)
    assert error.status_code == 404
    assert error.error_type == "RECORD_NOT_FOUND"
    assert error.message == "Customer KC1 not found"
    assert error.request_id == "abc-123"
    assert "abc-123" in str(error)


def test_http_error_status_type_when_error_response_lacks_type() -> None:
    body = {"errorResponse": {"errorMessage": "company mismatch", "requestId": "r9"}}
    error = raised(403, body)
    assert error.error_type == "INVALID_ACCESS"
    assert error.message == "company mismatch"
    assert error.title == "Not allowed for this company"


def test_http_400_field_errors() -> None:
    body = {
        "response_code": 1,
        "errorResponse": {
            "errorType": "VALIDATION_ERROR",
            "errorMessage": "Invalid request",
            "apiSubErrors": [{"field": "baseAmount", "rejectedValue": 0, "message": ">= 0.1"}],
        },
    }
    error = raised(400, body)
    assert error.field_errors == [FieldError("baseAmount", ">= 0.1", 0)]


def test_http_401_with_envelope_is_auth_error() -> None:
    error = raised(401, {"response_code": 1, "response_message": "Token expired"})
    assert isinstance(error, AuthError)
    assert error.message == "Token expired"
    assert error.error_type == "UNAUTHORIZED"
    assert error.title == "Sign-in failed"


def test_error_from_body_keeps_retry_after() -> None:
    error = envelope.error_from_body(429, None, retry_after=3.0)
    assert error.retry_after == 3.0
    assert error.status_code == 429
    assert isinstance(error, ApiError)


def test_unknown_error_type_kept_with_generic_title() -> None:
    body = {"response_code": 1, "errorResponse": {"errorType": "BRAND_NEW", "errorMessage": "x"}}
    error = raised(200, body)
    assert error.error_type == "BRAND_NEW"
    assert error.title == "EnKash error"


# --- malformed replies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        None,
        "",
        "OK",
        [],
        [{"response_code": 0}],
        {},
        {"payload": {"a": 1}},
        {"responseCode": 0, "payload": {}},
        {"access_token": "abc"},
    ],
)
def test_reply_without_response_code_is_format_error(body: Any) -> None:
    with pytest.raises(ResponseFormatError) as caught:
        envelope.unwrap(200, body)
    assert not isinstance(caught.value, ApiError)
    assert isinstance(caught.value, EnkashError)
    assert caught.value.title == "Unreadable reply"


@pytest.mark.parametrize("code", [None, "zero", [0], {}])
def test_unreadable_response_code_is_format_error(code: Any) -> None:
    with pytest.raises(ResponseFormatError):
        envelope.unwrap(200, {"response_code": code, "payload": {}})


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error_type", "title"),
    [
        ("CLIENT_REQUEST_ABORT", "Request aborted"),
        ("CLIENT_REQUEST_ERROR", "Request refused"),
        ("INVALID_ACCESS", "Not allowed for this company"),
        ("RECORD_NOT_FOUND", "Not found"),
        ("SYSTEM_ERROR", "EnKash server error"),
        ("UNAUTHORIZED", "Not signed in"),
        ("UNKNOWN_ERROR", "Unexpected error"),
        ("UNPROCESSABLE_REQUEST", "Cannot be done"),
        ("VALIDATION_ERROR", "Invalid input"),
    ],
)
def test_api_error_titles_readable(error_type: str, title: str) -> None:
    error = ApiError("x", status_code=400, error_type=error_type)
    assert error.title == title


def test_error_type_enum_is_the_documented_set() -> None:
    assert {member.value for member in ErrorType} == {
        "CLIENT_REQUEST_ABORT",
        "CLIENT_REQUEST_ERROR",
        "INVALID_ACCESS",
        "RECORD_NOT_FOUND",
        "SYSTEM_ERROR",
        "UNAUTHORIZED",
        "UNKNOWN_ERROR",
        "UNPROCESSABLE_REQUEST",
        "VALIDATION_ERROR",
    }


def test_str_includes_request_id() -> None:
    error = ApiError("Customer not found", status_code=404, request_id="9f1c2d7e")
    assert str(error) == "Customer not found (request 9f1c2d7e)"
    assert str(ApiError("Customer not found", status_code=404)) == "Customer not found"


# --- loads -------------------------------------------------------------------------------------


def test_loads_fractions_are_exact_decimals() -> None:
    data = envelope.loads(
        '{"a": 0.1, "b": 1234.56, "c": 10000.00, "d": 7, "e": [0.30000000000000004]}'
    )
    assert data["a"] == Decimal("0.1")
    assert isinstance(data["a"], Decimal)
    assert data["b"] == Decimal("1234.56")
    assert str(data["c"]) == "10000.00"
    assert data["d"] == 7
    assert isinstance(data["d"], int)
    assert data["e"] == [Decimal("0.30000000000000004")]
    assert data["a"] + Decimal("0.2") == Decimal("0.3")


def test_loads_accepts_bytes() -> None:
    assert envelope.loads(b'{"response_code":0,"payload":{"x":0.1}}') == {
        "response_code": 0,
        "payload": {"x": Decimal("0.1")},
    }


# --- loads: nesting depth ------------------------------------------------------------------------


def _nest(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


@pytest.mark.parametrize("depth", [1, 63, envelope.MAX_JSON_DEPTH])
def test_loads_reads_nesting_up_to_the_bound(depth: int) -> None:
    value = envelope.loads(_nest(depth))
    for _ in range(depth):
        (value,) = value
    assert value == 1


@pytest.mark.parametrize("depth", [envelope.MAX_JSON_DEPTH + 1, 900, 100_000])
def test_loads_refuses_deeper_nesting_without_recursing(depth: int) -> None:
    with pytest.raises(ResponseFormatError, match="nests more than 64 levels deep"):
        envelope.loads(_nest(depth).encode())


def test_loads_counts_objects_and_arrays_alike() -> None:
    deep = '{"a":' * 40 + _nest(30) + "}" * 40
    with pytest.raises(ResponseFormatError):
        envelope.loads(deep)


def test_loads_ignores_brackets_inside_strings() -> None:
    # Brackets, escaped quotes and escaped backslashes inside strings are text, not nesting.
    text = '{"a": "' + "[" * 200 + '\\"' + "{" * 200 + '\\\\", "b": [' + '"]]]]\\\\"' + "]}"
    assert envelope.loads(text) == {"a": "[" * 200 + '"' + "{" * 200 + "\\", "b": ["]]]]\\"]}


def test_loads_leaves_malformed_json_to_the_parser() -> None:
    for text in ("[" * 100 + "}" * 100, '["' + "[" * 100, "[" * 5000):
        with pytest.raises((ValueError, ResponseFormatError)):
            envelope.loads(text)
