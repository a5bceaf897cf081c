"""Documented field patterns, in a module light enough for config and forms to import."""

# Documented patterns (enkash-ar-api.md §1.3, §3.4).
CUSTOMER_ID_PATTERN = r"^KC[A-Z0-9]{14}$"
COMPANY_ID_PATTERN = r"^CEK[A-Z0-9]{7}$"
# Java's \d and \s are ASCII-only; pydantic's regex engine is Unicode-aware, so spell them out.
PHONE_PATTERN = r"^$|^((\+|00)([0-9]{1,3})[ \t\n\x0B\f\r-]?)?([0-9]{10})$"
IFSC_PATTERN = r"^$|^[A-Za-z]{4}0[A-Z0-9a-z]{6}$"
ACCOUNT_NUMBER_PATTERN = r"^$|^[A-Za-z0-9]{9,36}$"
# A pragmatic e-mail check: one @, a dot in the domain, no spaces. The portal names RFC 5322.
EMAIL_PATTERN = r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"

__all__ = [
    "ACCOUNT_NUMBER_PATTERN",
    "COMPANY_ID_PATTERN",
    "CUSTOMER_ID_PATTERN",
    "EMAIL_PATTERN",
    "IFSC_PATTERN",
    "PHONE_PATTERN",
]
