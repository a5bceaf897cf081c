"""The one table of operations -> (HTTP method, path).

Confirmed paths are exactly as the EnKash portal documents them; inferred or guessed ones follow
enkash-ar-api.md's proposals and can be overridden per profile (``routes`` in the config), e.g.
``deactivate_customer = "PUT /api/v1/customer/{customerId}/deactivate"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import quote

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    confirmed: bool
    # Safe to retry after a connect error, 429 or 5xx: reads and set-to-a-state calls only.
    idempotent: bool = False

    def url(self, **params: str) -> str:
        """The path with ``{placeholders}`` filled in, each value URL-quoted."""
        missing = set(re.findall(r"{(\w+)}", self.path)) - params.keys()
        if missing:
            raise ValueError(f"route {self.path} needs {', '.join(sorted(missing))}")
        for name, value in params.items():
            # "", "." and ".." would address the collection or a parent once URLs are normalised.
            if str(value).strip() in ("", ".", ".."):
                raise ValueError(f"{name} {value!r} does not name a single record")
            if len(str(value)) > MAX_ID_LENGTH:
                raise ValueError(f"{name} is {len(str(value))} characters: too long to be an id")
        return self.path.format(**{k: quote(str(v), safe="") for k, v in params.items()})


# EnKash ids are short (KC + 14, PMT + 32): anything much longer is not one, and would not fit
# in a URL either.
MAX_ID_LENGTH = 200


def _r(method: str, path: str, *, confirmed: bool, idempotent: bool = False) -> Route:
    return Route(method, path, confirmed, idempotent)


DEFAULT_ROUTES: Mapping[str, Route] = {
    "login": _r("POST", "/oauth/token", confirmed=True),
    # Customers
    "create_customer": _r("POST", "/api/v0/customer", confirmed=True),
    "search_customers": _r("POST", "/api/v0/customer/search", confirmed=True, idempotent=True),
    "update_customer": _r("PATCH", "/api/v0/customer/{customerId}", confirmed=True),
    "activate_customer": _r(
        "PUT", "/api/v0/customer/activate/{customerId}", confirmed=True, idempotent=True
    ),
    "deactivate_customer": _r(
        "PUT", "/api/v0/customer/deactivate/{customerId}", confirmed=False, idempotent=True
    ),
    "delete_customer": _r("DELETE", "/api/v0/customer/{customerId}", confirmed=True),
    "bulk_create_customers": _r("POST", "/api/v0/customer/bulk", confirmed=True),
    "bulk_update_customers": _r("POST", "/api/v0/customer/bulk/update", confirmed=True),
    "get_customer_contacts": _r(
        "GET", "/api/v0/customer/{customerId}/contacts", confirmed=False, idempotent=True
    ),
    # Invoices
    "create_invoice": _r("POST", "/api/v0/invoice", confirmed=True),
    "bulk_create_invoices": _r("POST", "/api/v0/invoice/bulk/create", confirmed=True),
    "dispatch_invoices": _r("POST", "/api/v0/invoice/bulk/dispatch", confirmed=True),
    "delete_invoices": _r("POST", "/api/v0/invoice/bulk/delete", confirmed=False),
    "search_invoices": _r("POST", "/api/v0/invoice/search", confirmed=True, idempotent=True),
    "get_invoice": _r("GET", "/api/v0/invoice/{invoiceId}", confirmed=True, idempotent=True),
    "update_invoice": _r("PATCH", "/api/v0/invoice/{invoiceId}", confirmed=True),
    # Payment reminders: names confirmed, paths guessed.
    "create_reminder": _r("POST", "/api/v0/customer-reminder", confirmed=False),
    "list_reminders": _r("GET", "/api/v0/customer-reminder", confirmed=False, idempotent=True),
    "get_reminder": _r(
        "GET", "/api/v0/customer-reminder/{customerReminderId}", confirmed=False, idempotent=True
    ),
    "update_reminder": _r(
        "PATCH", "/api/v0/customer-reminder/{customerReminderId}", confirmed=False
    ),
    "delete_reminder": _r(
        "DELETE", "/api/v0/customer-reminder/{customerReminderId}", confirmed=False
    ),
    # Bharat Connect 2.0 AR
    "confirm_payment": _r("POST", "/api/v0/invoice/payment-confirmation", confirmed=True),
    "change_invoice_status": _r("POST", "/api/v0/invoice/change-status", confirmed=False),
}


# Operations that only read. A read-only client sends nothing else.
READ_OPERATIONS = frozenset(
    {
        "login",
        "search_customers",
        "get_customer_contacts",
        "search_invoices",
        "get_invoice",
        "list_reminders",
        "get_reminder",
    }
)


def parse_override(operation: str, spec: str, base: Route) -> Route:
    """``"PUT /path/{id}"`` or just ``"/path/{id}"`` (keeping the method)."""
    parts = spec.split()
    if len(parts) == 2 and parts[0].upper() in METHODS:
        method, path = parts[0].upper(), parts[1]
    elif len(parts) == 1:
        method, path = base.method, parts[0]
    else:
        raise ValueError(f"route override for {operation!r} must be 'METHOD /path': {spec!r}")
    if not path.startswith("/"):
        raise ValueError(f"route override for {operation!r} must start with '/': {spec!r}")
    return replace(base, method=method, path=path)


def build_routes(overrides: Mapping[str, str] | None = None) -> dict[str, Route]:
    """The default table with a profile's overrides applied; unknown operations are refused."""
    routes = dict(DEFAULT_ROUTES)
    for operation, spec in (overrides or {}).items():
        if operation not in routes:
            known = ", ".join(sorted(routes))
            raise ValueError(f"unknown operation {operation!r} in route overrides; known: {known}")
        routes[operation] = parse_override(operation, spec, routes[operation])
    return routes
