"""GSTINs: the state code table, the check character, and whether a GSTIN fits its State.

A GSTIN is 15 characters: the 2-digit GST state code, the holder's PAN, an entity number, ``Z``
and a check character computed over the first 14 (a mod-36 Luhn variant). EnKash documents none
of this; it is India's GST numbering, and a typo in a GSTIN is caught here before it is sent.
"""

from __future__ import annotations

import re

_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
GSTIN_SHAPE = re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][0-9A-Z]Z[0-9A-Z]$")

# GST state and union-territory codes. 25 (Daman and Diu) and 28 (Andhra Pradesh before 2014)
# still appear on GSTINs issued under them.
STATE_CODES: dict[str, str] = {
    "01": "Jammu and Kashmir",
    "02": "Himachal Pradesh",
    "03": "Punjab",
    "04": "Chandigarh",
    "05": "Uttarakhand",
    "06": "Haryana",
    "07": "Delhi",
    "08": "Rajasthan",
    "09": "Uttar Pradesh",
    "10": "Bihar",
    "11": "Sikkim",
    "12": "Arunachal Pradesh",
    "13": "Nagaland",
    "14": "Manipur",
    "15": "Mizoram",
    "16": "Tripura",
    "17": "Meghalaya",
    "18": "Assam",
    "19": "West Bengal",
    "20": "Jharkhand",
    "21": "Odisha",
    "22": "Chhattisgarh",
    "23": "Madhya Pradesh",
    "24": "Gujarat",
    "25": "Daman and Diu",
    "26": "Dadra and Nagar Haveli and Daman and Diu",
    "27": "Maharashtra",
    "28": "Andhra Pradesh",
    "29": "Karnataka",
    "30": "Goa",
    "31": "Lakshadweep",
    "32": "Kerala",
    "33": "Tamil Nadu",
    "34": "Puducherry",
    "35": "Andaman and Nicobar Islands",
    "36": "Telangana",
    "37": "Andhra Pradesh",
    "38": "Ladakh",
    "97": "Other Territory",
    "99": "Centre Jurisdiction",
}
# Codes that name no state: a GSTIN under them is not compared with the State field.
_NO_STATE = {"97", "99"}
# Other spellings people write in a State field.
_ALIASES = {
    "orissa": "odisha",
    "pondicherry": "puducherry",
    "new delhi": "delhi",
    "nct of delhi": "delhi",
    "uttaranchal": "uttarakhand",
    "andaman and nicobar": "andaman and nicobar islands",
    "dadra and nagar haveli": "dadra and nagar haveli and daman and diu",
    "jammu kashmir": "jammu and kashmir",
}


def _key(state: str) -> str:
    words = re.sub(r"[^a-z]+", " ", state.lower().replace("&", " and ")).split()
    key = " ".join(words)
    return _ALIASES.get(key, key)


def _codes_by_state() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for code, name in STATE_CODES.items():
        found.setdefault(_key(name), set()).add(code)
    # Daman and Diu merged into Dadra and Nagar Haveli in 2020: GSTINs under 25 remain.
    found[_key(STATE_CODES["26"])].add("25")
    return found


_CODES_BY_STATE = _codes_by_state()


def check_char(first14: str) -> str:
    """The check character (15th) of a GSTIN whose first 14 characters are ``first14``."""
    total = 0
    for index, char in enumerate(first14.upper()):
        product = _CHARS.index(char) * (2 if index % 2 else 1)
        total += product // 36 + product % 36
    return _CHARS[(36 - total % 36) % 36]


def looks_like_gstin(value: str) -> bool:
    """Fifteen characters in the GSTIN layout (whatever the state code and check character)."""
    return bool(GSTIN_SHAPE.match(value.upper()))


def gstin_problem(value: str) -> str:
    """What is wrong with a value in the GSTIN layout ("" when nothing is)."""
    gstin = value.upper()
    if gstin[:2] not in STATE_CODES:
        return f"{gstin[:2]} is not a GST state code"
    if check_char(gstin[:14]) != gstin[14]:
        return "check character does not match (a typo?)"
    return ""


def state_codes(state: str) -> set[str]:
    """The GST state codes of a State as people write it (empty when it is not one we know)."""
    return set(_CODES_BY_STATE.get(_key(state), set()))


def state_mismatch(gstin: str, state: str) -> str:
    """Why a GSTIN does not belong to ``state`` ("" when it does, or it cannot be told)."""
    code = gstin[:2]
    codes = state_codes(state)
    if not codes or code in _NO_STATE or code not in STATE_CODES or code in codes:
        return ""
    return f"starts {code} ({STATE_CODES[code]}), but the State is {state.strip()}"
