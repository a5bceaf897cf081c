"""The parts of the OpenAPI document no model gives: the ``ResponseDTO`` envelope (§3.1), its
``errorResponse`` with ``apiSubErrors``, the error replies by HTTP status (§3.2), and the token
call's form and reply (§1.2)."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from enkash_tui.api.errors import ErrorType

_ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}

COMPONENTS: dict[str, Any] = {
    "ApiSubError": {
        "type": "object",
        "description": "One field's problem, Spring style (its fields are inferred: §3.1)",
        "properties": {
            "object": {"type": "string"},
            "field": {"type": "string", "description": "the wire name, nested with dots"},
            "rejectedValue": {},
            "message": {"type": "string"},
        },
    },
    "ErrorResponse": {
        "type": "object",
        "properties": {
            "apiSubErrors": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ApiSubError"},
            },
            "errorMessage": {"type": "string"},
            "errorType": {"type": "string", "enum": [t.value for t in ErrorType]},
            "requestId": {"type": "string"},
            "timestamp": {
                "type": "string",
                "description": "yyyy-MM-dd HH:mm:ss",
                "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
            },
        },
    },
    "ErrorEnvelope": {
        "type": "object",
        "description": "A failure: response_code 1, errorResponse saying why, no payload",
        "required": ["response_code", "errorResponse"],
        "properties": {
            "response_code": {"type": "integer", "format": "int32"},
            "response_message": {"type": ["string", "null"]},
            "payload": {},
            "errorResponse": _ERROR_REF,
        },
    },
    "TokenError": {
        "type": "object",
        "description": "Spring OAuth2's error body (guessed: EnKash does not document it)",
        "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
    },
}

_WHY = {
    "400": "Invalid input (VALIDATION_ERROR, one apiSubErrors entry a field)",
    "401": "Not signed in, or the token has expired (UNAUTHORIZED)",
    "403": "Not allowed for this company (INVALID_ACCESS)",
    "404": "No such record (RECORD_NOT_FOUND)",
    "422": "Cannot be done to this record now (UNPROCESSABLE_REQUEST)",
    "429": "Too many requests: wait Retry-After seconds",
    "500": "EnKash server error (SYSTEM_ERROR)",
}
ERRORS: dict[str, Any] = {
    status: {"description": why, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}
    for status, why in _WHY.items()
}  # fmt: skip


def envelope(payload: Any) -> dict[str, Any]:
    """The ``ResponseDTO`` of a success, its ``payload`` as given."""
    return {
        "type": "object",
        "required": ["response_code", "payload"],
        "properties": {
            "response_code": {"type": "integer", "format": "int32", "const": 0},
            "response_message": {"type": ["string", "null"]},
            "payload": payload,
            "errorResponse": {"anyOf": [_ERROR_REF, {"type": "null"}]},
        },
    }


def token_form() -> dict[str, Any]:
    return {
        "required": True,
        "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object",
            "required": ["username", "password", "grant_type", "clientId"],
            "properties": {
                "username": {"type": "string", "description": "the user's registered e-mail"},
                "password": {"type": "string", "format": "password"},
                "grant_type": {"type": "string", "enum": ["password", "refresh_token"]},
                "clientId": {"type": "string", "pattern": r"^CEK[A-Z0-9]{7}$"},
                "refresh_token": {"type": "string"},
            },
        }}},
    }  # fmt: skip


def token_reply() -> dict[str, Any]:
    """Spring OAuth2's snake_case token (the sandbox's default); EnKash's AR page shows the same
    fields in camelCase, and an old page wraps them in the envelope: the client takes all three."""
    token = {
        "type": "object",
        "required": ["access_token"],
        "properties": {
            "access_token": {"type": "string", "minLength": 1},
            "token_type": {"type": "string"},
            "expires_in": {"type": "integer", "minimum": 1},
            "refresh_token": {"type": "string"},
            "scope": {"type": "string"},
        },
    }
    failure = {"content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/TokenError"}}}}  # fmt: skip
    return {
        "200": {"description": "Signed in", "content": {"application/json": {"schema": token}}},
        "400": {"description": "A form EnKash cannot read", **failure},
        "401": {"description": "Wrong client id, secret, user or password", **failure},
        "423": {"description": "Locked after repeated failed sign-ins", **failure},
        "429": {"description": "Too many sign-ins: wait Retry-After seconds", **failure},
    }


class WireSchema(GenerateJsonSchema):
    """The models' JSON schema as the wire has it: money a JSON number (never pydantic's
    "number or string"), with its places as ``x-decimal-places``; no generated titles."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        number: JsonSchemaValue = {"type": "number"}
        for key, name in (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum"),
                          ("lt", "exclusiveMaximum")):  # fmt: skip
            if schema.get(key) is not None:
                number[name] = float(schema[key])  # type: ignore[literal-required]
        if schema.get("decimal_places") is not None:
            number["x-decimal-places"] = schema["decimal_places"]
        if schema.get("max_digits") is not None:
            number["x-max-digits"] = schema["max_digits"]
        return number
