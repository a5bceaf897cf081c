"""The EnKash AR API as this client speaks it, as an OpenAPI 3.1 document (``enkash-tui
openapi``; the sandbox serves it at ``/openapi.json``; ``assets/openapi.json`` is a copy).

Built from the route table (a profile's overrides included) and the same pydantic models the
client sends and reads, so it cannot drift from them: request bodies carry every documented
pattern, bound and enum; replies are the ``ResponseDTO`` envelope around each payload; errors
are the envelope with ``errorResponse``. Each operation says whether EnKash documents its path
(``x-enkash-source: confirmed``) or this project inferred it (``inferred``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from enkash_tui.api.openapi.operations import SHAPES, Query, Shape
from enkash_tui.api.openapi.schemas import (
    COMPONENTS,
    ERRORS,
    WireSchema,
    envelope,
    token_form,
    token_reply,
)
from enkash_tui.api.routes import Route

REF = "#/components/schemas/{model}"
VERSION = "v0"
SANDBOX = "http://127.0.0.1:8765"  # where `enkash-tui sandbox` listens


def build_document(
    routes: Mapping[str, Route],
    *,
    server: str = SANDBOX,
    server_name: str = "enkash-tui sandbox",
) -> dict[str, Any]:
    """The OpenAPI 3.1 document for ``routes`` (``api.routes.build_routes``) at ``server``."""
    models = _models_used()
    keys, defs = models_json_schema(
        [(m, "validation") for m in models],
        by_alias=True,
        ref_template=REF,
        schema_generator=WireSchema,
    )
    schemas = {**defs.get("$defs", {}), **COMPONENTS}
    refs = {m: keys[(m, "validation")] for m in models}
    paths: dict[str, dict[str, Any]] = {}
    for name, route in sorted(routes.items(), key=lambda item: (item[1].path, item[0])):
        operation = _operation(name, route, SHAPES[name], refs)
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    _mark_overlaps(paths)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "EnKash Accounts Receivable",
            "version": VERSION,
            "description": (
                "The EnKash AR API as enkash-tui sends and reads it. Paths marked "
                "x-enkash-source: inferred are not documented by EnKash; a profile may move them."
                " A body this document allows may still be refused (400 or 422) by a rule that "
                "spans fields or records, which no schema here can say: a due date before the "
                "invoice date, a GSTIN whose check digit or state code does not add up, an id "
                "that does not exist, an invoice in a status that cannot take the change."
            ),
        },
        "servers": [{"url": server, "description": server_name}],
        "tags": [{"name": tag} for tag in dict.fromkeys(s.tag for s in SHAPES.values())],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "clientCredentials": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "base64(clientId:clientSecret)",
                },
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "the access_token /oauth/token gave",
                },
            },
        },
        "security": [{"bearerToken": []}],
    }


def _mark_overlaps(paths: dict[str, dict[str, Any]]) -> None:
    """A fixed path a template also matches (``/api/v0/invoice/search`` and
    ``/api/v0/invoice/{invoiceId}``) is said so: EnKash's paths overlap, and a method the fixed
    path lacks reaches the template's operation with the segment as its id (Spring matches the
    method before the pattern), answered as for an unknown id rather than 405."""
    for fixed, item in paths.items():
        if "{" in fixed:
            continue
        for template in paths:
            pattern = re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template))
            if "{" in template and re.fullmatch(pattern, fixed):
                item["x-enkash-also-matches"] = template
                item["description"] = (
                    f"Other methods on this path reach {template} with "
                    f"{fixed.rsplit('/', 1)[1]!r} as its id: EnKash's paths overlap, so they "
                    "are answered as for an unknown id (400 or 404), not 405."
                )


def _models_used() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for shape in SHAPES.values():
        for model in (shape.body, shape.reply_model):
            if isinstance(model, type) and model not in found:
                found.append(model)
    return found


def _operation(
    name: str, route: Route, shape: Shape, refs: Mapping[type[BaseModel], Any]
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": name,
        "summary": shape.summary,
        "tags": [shape.tag],
        "x-enkash-source": "confirmed" if route.confirmed else "inferred",
    }
    parameters = [_path_parameter(p, shape) for p in re.findall(r"{(\w+)}", route.path)]
    parameters += [_query_parameter(q) for q in _paging(shape) + list(shape.query)]
    if parameters:
        operation["parameters"] = parameters
    if name == "login":
        operation["security"] = [{"clientCredentials": []}]
        operation["requestBody"] = token_form()
        operation["responses"] = token_reply()
        return operation
    if shape.body == "file":
        operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {
            "schema": {"type": "object", "required": ["file"], "properties": {"file": {
                "type": "string", "contentMediaType": "text/csv",
                "description": "the bulk CSV file (README: Bulk upload files)"}}}}}}  # fmt: skip
    elif isinstance(shape.body, type):
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": refs[shape.body]}}}  # fmt: skip
    operation["responses"] = {"200": _success(shape, refs), **ERRORS}
    return operation


def _success(shape: Shape, refs: Mapping[type[BaseModel], Any]) -> dict[str, Any]:
    one = refs[shape.reply_model] if shape.reply_model is not None else None
    if shape.reply == "list":
        payload: Any = {"type": "array", "items": one}
    elif shape.reply == "text":
        payload = {"type": "string"}
    elif shape.reply == "one-or-text":
        payload = {"anyOf": [one, {"type": "string"}, {"type": "null"}]}
    else:
        payload = one
    reply: dict[str, Any] = {
        "description": "Done: the ResponseDTO envelope, response_code 0",
        "content": {"application/json": {"schema": envelope(payload)}},
    }
    if shape.totals:
        reply["headers"] = {name: {"schema": {"type": "string"}, "description": (
            "how many the search finds, past this page" if name == "X-Total-Count"
            else "the open balance of all it finds")} for name in shape.totals}  # fmt: skip
    return reply


def _paging(shape: Shape) -> list[Query]:
    if shape.paging is None:
        return []
    schema = shape.paging.model_json_schema(by_alias=True, schema_generator=WireSchema)
    return [Query(name, _plain(prop, schema)) for name, prop in schema["properties"].items()]


def _plain(prop: dict[str, Any], whole: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema without pydantic's titles, defaults kept, refs inlined."""
    found = {k: v for k, v in prop.items() if k != "title"}
    if "anyOf" in found:  # "x or null": a query parameter is simply left out
        found = next(o for o in found.pop("anyOf") if o.get("type") != "null") | found
    if "$ref" in found:
        found = {**whole["$defs"][found.pop("$ref").rsplit("/", 1)[1]], **found}
        found.pop("title", None)
    if found.get("default") is None:
        found.pop("default", None)  # "default: null" is no value a query parameter can carry
    return found


def _path_parameter(name: str, shape: Shape) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 200}
    if name in shape.path_patterns:
        schema = {"type": "string", "pattern": shape.path_patterns[name]}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query_parameter(query: Query) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": query.name, "in": "query", "required": query.required,
                                 "schema": query.schema}  # fmt: skip
    if query.description:
        parameter["description"] = query.description
    return parameter
