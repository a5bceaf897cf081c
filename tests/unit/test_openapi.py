"""The OpenAPI document (``enkash-tui openapi``): a valid OpenAPI 3.1 document of every
operation of the route table, built from the client's own models, its checked-in copy
(``assets/openapi.json``) current, and a profile's route overrides in it when asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis

from enkash_tui.api.openapi import build_document
from enkash_tui.api.openapi.operations import SHAPES
from enkash_tui.api.patterns import CUSTOMER_ID_PATTERN, PIN_CODE_PATTERN
from enkash_tui.api.routes import DEFAULT_ROUTES, build_routes

REPO = Path(__file__).resolve().parents[2]
ASSET = REPO / "assets" / "openapi.json"
METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict:
    return build_document(build_routes())


def operations(document: dict) -> dict[str, tuple[str, str, dict]]:
    return {op["operationId"]: (method.upper(), path, op)
            for path, item in document["paths"].items() for method, op in item.items()
            if method in METHODS}  # fmt: skip


def not_null(schema: dict) -> dict:
    """The schema of an optional field's value (``anyOf: [value, null]``)."""
    return next(s for s in schema.get("anyOf", [schema]) if s.get("type") != "null")


def validate(document: dict) -> None:
    """Raises unless ``document`` is valid OpenAPI (3.1 here), by Schemathesis's own loader."""
    schemathesis.openapi.from_dict(document).validate()


def test_an_invalid_document_is_refused(document: dict) -> None:
    broken = json.loads(json.dumps(document))
    broken["paths"]["/api/v0/invoice/search"]["post"]["responses"] = "none"
    with pytest.raises(Exception, match="is not of type"):
        validate(broken)


def test_it_is_a_valid_openapi_3_1_document_of_every_operation(document: dict) -> None:
    validate(document)  # raises on anything OpenAPI 3.1 does not allow
    assert document["openapi"] == "3.1.0"
    assert set(SHAPES) == set(DEFAULT_ROUTES)
    found = operations(document)
    assert set(found) == set(DEFAULT_ROUTES)
    for name, route in DEFAULT_ROUTES.items():
        method, path, op = found[name]
        assert (method, path) == (route.method, route.path)
        assert op["x-enkash-source"] == ("confirmed" if route.confirmed else "inferred")


def test_bodies_and_replies_carry_the_wire_names_patterns_and_envelope(document: dict) -> None:
    schemas = document["components"]["schemas"]
    create = schemas["CustomerCreate"]
    assert create["additionalProperties"] is False  # nothing undocumented is ever sent
    assert not_null(create["properties"]["pinCode"])["pattern"] == PIN_CODE_PATTERN
    invoice = schemas["InvoiceCreate"]["properties"]
    assert invoice["baseAmount"]["type"] == "number"  # money is a JSON number, never a string
    assert invoice["baseAmount"]["x-decimal-places"] == 2
    found = operations(document)
    _, _, update = found["update_customer"]
    [customer_id] = [p for p in update["parameters"] if p["in"] == "path"]
    assert customer_id["schema"]["pattern"] == CUSTOMER_ID_PATTERN
    _, _, search = found["search_invoices"]
    query = {p["name"]: p["schema"] for p in search["parameters"]}
    assert query["limit"]["maximum"] == 5000 and query["direction"]["enum"] == ["ASC", "DESC"]
    reply = search["responses"]["200"]["content"]["application/json"]["schema"]
    assert reply["properties"]["payload"]["items"] == {"$ref": "#/components/schemas/Invoice"}
    assert "X-Total-Count" in search["responses"]["200"]["headers"]
    error = search["responses"]["400"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorEnvelope"}
    assert "apiSubErrors" in schemas["ErrorResponse"]["properties"]
    _, _, login = found["login"]
    assert login["security"] == [{"clientCredentials": []}]
    assert document["security"] == [{"bearerToken": []}]


def test_the_checked_in_copy_is_current(document: dict) -> None:
    kept = json.loads(ASSET.read_text(encoding="utf-8"))
    assert kept == document, "regenerate it: enkash-tui openapi > assets/openapi.json"


def test_a_profiles_route_overrides_and_address_are_in_its_document(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[profiles.acme]\nbase_url = "https://ar.example.in"\nclient_id = "CEKACME001"\n'
        '[profiles.acme.routes]\ndeactivate_customer = "PUT /api/v1/customer/{customerId}/off"\n'
    )
    env = {**os.environ, "ENKASH_TUI_CONFIG": str(config)}
    result = subprocess.run([sys.executable, "-m", "enkash_tui", "openapi", "--profile", "acme"],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=60,
                            check=True)  # fmt: skip
    moved = json.loads(result.stdout)
    validate(moved)
    method, path, _ = operations(moved)["deactivate_customer"]
    assert (method, path) == ("PUT", "/api/v1/customer/{customerId}/off")
    assert "/api/v0/customer/deactivate/{customerId}" not in moved["paths"]
    assert moved["servers"][0]["url"] == "https://ar.example.in"


def test_where_paths_overlap_the_document_says_so(document: dict) -> None:
    search = document["paths"]["/api/v0/invoice/search"]
    assert search["x-enkash-also-matches"] == "/api/v0/invoice/{invoiceId}"
    assert "'search' as its id" in search["description"]
    assert "x-enkash-also-matches" not in document["paths"]["/api/v0/customer-reminder"]
