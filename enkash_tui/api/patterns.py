"""Documented field patterns, in a module light enough for config and forms to import."""

# Documented patterns (enkash-ar-api.md §1.3, §3.4).
CUSTOMER_ID_PATTERN = r"^KC[A-Z0-9]{14}$"
COMPANY_ID_PATTERN = r"^CEK[A-Z0-9]{7}$"
# Java's \d and \s are ASCII-only; pydantic's regex engine is Unicode-aware, so spell them out.
PHONE_PATTERN = r"^$|^((\+|00)([0-9]{1,3})[ \t\n\x0B\f\r-]?)?([0-9]{10})$"
IFSC_PATTERN = r"^$|^[A-Za-z]{4}0[A-Z0-9a-z]{6}$"
ACCOUNT_NUMBER_PATTERN = r"^$|^[A-Za-z0-9]{9,36}$"
# A pragmatic e-mail check: one @, a dot in the domain, no spaces. The portal names RFC 5322.
# Control characters are refused too (pydantic's \s does not cover them).
EMAIL_PATTERN = r"^$|^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$"
# Bharat Connect remarks: 1 to 100 characters, no backslash or double quote (§4.23).
REMARKS_PATTERN = r'^[^\\"]{1,100}$'
# Indian PIN codes: six digits, never starting with 0 (not an EnKash pattern; India Post's).
PIN_CODE_PATTERN = r"^$|^[1-9][0-9]{5}$"

# How a person should write a value each pattern checks: shown beside a form field or a bulk
# file's cell instead of the regular expression. Short, to fit beside a field at 80 columns.
PATTERN_HINTS = {
    PHONE_PATTERN: "10 digits, +91 optional",
    EMAIL_PATTERN: "like name@firm.in",
    IFSC_PATTERN: "like HDFC0001234",
    ACCOUNT_NUMBER_PATTERN: "9–36 letters or digits",
    CUSTOMER_ID_PATTERN: "KC + 14 capitals or digits",
    COMPANY_ID_PATTERN: "CEK + 7 capitals or digits",
    PIN_CODE_PATTERN: "6 digits, not from 0",
    REMARKS_PATTERN: 'no \\ or " here',
}

__all__ = [
    "ACCOUNT_NUMBER_PATTERN",
    "COMPANY_ID_PATTERN",
    "CUSTOMER_ID_PATTERN",
    "EMAIL_PATTERN",
    "IFSC_PATTERN",
    "PATTERN_HINTS",
    "PHONE_PATTERN",
    "PIN_CODE_PATTERN",
    "REMARKS_PATTERN",
]
