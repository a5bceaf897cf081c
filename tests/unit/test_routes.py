"""The operation -> (method, path) table (enkash-ar-api.md §1.2, §4) and the retry policy."""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError

import pytest

from enkash_tui.api.retry import NO_RETRY, RETRYABLE_STATUSES, RetryPolicy, parse_retry_after
from enkash_tui.api.routes import DEFAULT_ROUTES, Route, build_routes

# Exactly as the portal documents them (§1.2, §4.2–4.17, §4.23, §4.25).
CONFIRMED = {
    "login": ("POST", "/oauth/token"),
    "create_customer": ("POST", "/api/v0/customer"),
    "search_customers": ("POST", "/api/v0/customer/search"),
    "update_customer": ("PATCH", "/api/v0/customer/{customerId}"),
    "activate_customer": ("PUT", "/api/v0/customer/activate/{customerId}"),
    "delete_customer": ("DELETE", "/api/v0/customer/{customerId}"),
    "bulk_create_customers": ("POST", "/api/v0/customer/bulk"),
    "bulk_update_customers": ("POST", "/api/v0/customer/bulk/update"),
    "create_invoice": ("POST", "/api/v0/invoice"),
    "bulk_create_invoices": ("POST", "/api/v0/invoice/bulk/create"),
    "dispatch_invoices": ("POST", "/api/v0/invoice/bulk/dispatch"),
    "search_invoices": ("POST", "/api/v0/invoice/search"),
    "get_invoice": ("GET", "/api/v0/invoice/{invoiceId}"),
    "update_invoice": ("PATCH", "/api/v0/invoice/{invoiceId}"),
    "confirm_payment": ("POST", "/api/v0/invoice/payment-confirmation"),
}

# Methods confirmed by the portal's navigation tree where known; paths are proposals (§4.5,
# §4.10, §4.14, §4.18-4.22, §4.24).
INFERRED = {
    "deactivate_customer": ("PUT", "/api/v0/customer/deactivate/{customerId}"),
    "get_customer_contacts": ("GET", "/api/v0/customer/{customerId}/contacts"),
    "delete_invoices": ("POST", "/api/v0/invoice/bulk/delete"),
    "create_reminder": ("POST", "/api/v0/customer-reminder"),
    "list_reminders": ("GET", "/api/v0/customer-reminder"),
    "get_reminder": ("GET", "/api/v0/customer-reminder/{customerReminderId}"),
    "update_reminder": ("PATCH", "/api/v0/customer-reminder/{customerReminderId}"),
    "delete_reminder": ("DELETE", "/api/v0/customer-reminder/{customerReminderId}"),
    "change_invoice_status": ("POST", "/api/v0/invoice/change-status"),
}

ALL_OPERATIONS = {
    "login",
    "create_customer",
    "search_customers",
    "update_customer",
    "activate_customer",
    "deactivate_customer",
    "delete_customer",
    "bulk_create_customers",
    "bulk_update_customers",
    "get_customer_contacts",
    "create_invoice",
    "bulk_create_invoices",
    "dispatch_invoices",
    "delete_invoices",
    "search_invoices",
    "get_invoice",
    "update_invoice",
    "create_reminder",
    "list_reminders",
    "get_reminder",
    "update_reminder",
    "delete_reminder",
    "confirm_payment",
    "change_invoice_status",
}

IDEMPOTENT = {
    "search_customers",
    "search_invoices",
    "get_invoice",
    "get_customer_contacts",
    "list_reminders",
    "get_reminder",
    "activate_customer",
    "deactivate_customer",
}


def test_default_table_has_all_24_operations() -> None:
    routes = build_routes()
    assert len(ALL_OPERATIONS) == 24
    assert set(routes) == ALL_OPERATIONS
    assert set(DEFAULT_ROUTES) == ALL_OPERATIONS
    assert set(CONFIRMED) | set(INFERRED) == ALL_OPERATIONS


@pytest.mark.parametrize(("operation", "expected"), sorted(CONFIRMED.items()))
def test_confirmed_routes_match_the_documentation(
    operation: str, expected: tuple[str, str]
) -> None:
    route = build_routes()[operation]
    assert (route.method, route.path) == expected
    assert route.confirmed is True


@pytest.mark.parametrize(("operation", "expected"), sorted(INFERRED.items()))
def test_inferred_routes_are_not_confirmed(operation: str, expected: tuple[str, str]) -> None:
    route = build_routes()[operation]
    assert route.confirmed is False
    assert (route.method, route.path) == expected


def test_navigation_tree_methods_for_inferred_operations() -> None:
    # The portal's nav confirms these methods even where the path is a guess.
    routes = build_routes()
    assert routes["deactivate_customer"].method == "PUT"
    assert routes["delete_invoices"].method == "POST"
    assert routes["change_invoice_status"].method == "POST"
    assert routes["get_customer_contacts"].method == "GET"


@pytest.mark.parametrize("operation", sorted(ALL_OPERATIONS))
def test_idempotent_exactly_for_reads_search_and_state_setters(operation: str) -> None:
    assert build_routes()[operation].idempotent is (operation in IDEMPOTENT)


def test_every_route_is_well_formed() -> None:
    for route in build_routes().values():
        assert route.method in {"GET", "POST", "PUT", "PATCH", "DELETE"}
        assert route.path.startswith("/")


# --- overrides ---------------------------------------------------------------------------------


def test_override_method_and_path() -> None:
    routes = build_routes({"deactivate_customer": "PATCH /api/v1/customer/{customerId}/deactivate"})
    route = routes["deactivate_customer"]
    assert (route.method, route.path) == ("PATCH", "/api/v1/customer/{customerId}/deactivate")
    # Flags other than method/path are kept.
    assert route.confirmed is False
    assert route.idempotent is True
    # The rest of the table is untouched.
    assert routes["activate_customer"] == DEFAULT_ROUTES["activate_customer"]


def test_override_path_only_keeps_method() -> None:
    routes = build_routes({"change_invoice_status": "/api/v0/invoice/req-status-change-invoice"})
    route = routes["change_invoice_status"]
    assert route.method == "POST"
    assert route.path == "/api/v0/invoice/req-status-change-invoice"


def test_override_method_case_insensitive_and_whitespace_tolerant() -> None:
    route = build_routes({"get_reminder": "  get   /r/{customerReminderId} "})["get_reminder"]
    assert (route.method, route.path) == ("GET", "/r/{customerReminderId}")


def test_overrides_do_not_change_defaults() -> None:
    build_routes({"login": "POST /auth/token"})
    assert DEFAULT_ROUTES["login"].path == "/oauth/token"
    assert build_routes()["login"].path == "/oauth/token"


def test_unknown_operation_refused() -> None:
    with pytest.raises(ValueError, match="no_such_op"):
        build_routes({"no_such_op": "GET /x"})


@pytest.mark.parametrize(
    "spec", ["FETCH /api/v0/x", "GET /a /b", "", "   ", "POST", "GET api/v0/x", "api/v0/x"]
)
def test_bad_override_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="create_reminder"):
        build_routes({"create_reminder": spec})


# --- Route.url ---------------------------------------------------------------------------------


def test_url_fills_placeholders() -> None:
    route = build_routes()["update_customer"]
    assert route.url(customerId="KC1A2B3C4D5E6F7G") == "/api/v0/customer/KC1A2B3C4D5E6F7G"


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("a/b", "a%2Fb"),
        ("a b", "a%20b"),
        ("../x", "..%2Fx"),
        ("a?b#c", "a%3Fb%23c"),
        ("₹", "%E2%82%B9"),
    ],
)
def test_url_quotes_values(value: str, quoted: str) -> None:
    route = build_routes()["get_invoice"]
    assert route.url(invoiceId=value) == f"/api/v0/invoice/{quoted}"


def test_url_refuses_missing_params() -> None:
    route = build_routes()["get_invoice"]
    with pytest.raises(ValueError, match="invoiceId"):
        route.url()
    with pytest.raises(ValueError, match="invoiceId"):
        route.url(customerId="KC1A2B3C4D5E6F7G")


def test_url_without_placeholders() -> None:
    assert build_routes()["search_invoices"].url() == "/api/v0/invoice/search"


def test_route_is_frozen() -> None:
    route = Route("GET", "/x", confirmed=True)
    with pytest.raises(FrozenInstanceError):
        route.path = "/y"  # type: ignore[misc]
    assert route.idempotent is False


# --- retry -------------------------------------------------------------------------------------


def test_backoff_doubles_then_caps() -> None:
    policy = RetryPolicy(attempts=6, backoff_seconds=0.25, max_delay_seconds=4.0)
    assert [policy.delay(n) for n in range(1, 8)] == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_backoff_custom_base() -> None:
    policy = RetryPolicy(backoff_seconds=1.0, max_delay_seconds=3.0)
    assert [policy.delay(n) for n in (1, 2, 3)] == [1.0, 2.0, 3.0]


def test_retry_after_honoured_and_capped() -> None:
    policy = RetryPolicy(backoff_seconds=0.25, max_delay_seconds=4.0)
    assert policy.delay(1, retry_after=2.0) == 2.0
    assert policy.delay(3, retry_after=0.5) == 0.5
    assert policy.delay(1, retry_after=120.0) == 4.0
    assert policy.delay(1, retry_after=0.0) == 0.0
    assert policy.delay(1, retry_after=-5.0) == 0.0
    assert policy.delay(1, retry_after=math.inf) == 4.0


def test_retry_after_nan_does_not_escape_the_cap() -> None:
    # asyncio.sleep(nan) never returns: a NaN delay would hang the request.
    delay = RetryPolicy(max_delay_seconds=4.0).delay(1, retry_after=math.nan)
    assert math.isfinite(delay)
    assert 0.0 <= delay <= 4.0


def test_defaults_and_no_retry() -> None:
    policy = RetryPolicy()
    assert policy.attempts >= 2
    assert policy.delay(1) == policy.backoff_seconds
    assert NO_RETRY.attempts == 1
    assert {429, 500, 502, 503, 504} == RETRYABLE_STATUSES


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("2", 2.0), ("0", 0.0), ("120", 120.0), ("1.5", 1.5), (" 3 ", 3.0)],
)
def test_parse_retry_after_seconds(header: str, seconds: float) -> None:
    assert parse_retry_after(header) == seconds


@pytest.mark.parametrize(
    "header", [None, "", "Wed, 21 Oct 2015 07:28:00 GMT", "soon", "nan", "NaN"]
)
def test_parse_retry_after_unusable(header: str | None) -> None:
    assert parse_retry_after(header) is None
