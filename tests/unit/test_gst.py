"""GSTINs (enkash_tui.api.gst): the check character, the state code table, and the State field.

Known GSTINs below are written out by hand; the check characters of made-up ones were worked out
on paper with the mod-36 rule (weights 1, 2, 1, 2, ... over the first 14 characters).
"""

from __future__ import annotations

import pytest

from enkash_tui.api.gst import (
    STATE_CODES,
    check_char,
    gstin_problem,
    looks_like_gstin,
    state_codes,
    state_mismatch,
)
from enkash_tui.sandbox.seed import words as demo_words


@pytest.mark.parametrize(
    "gstin",
    ["27AAPFU0939F1ZV", "29AAGCB7383J1Z4", "27AAACR5055K1Z7", "27AAACS1234A1Z2", "27AAACA1234A1ZK"],
)
def test_the_check_character_of_good_gstins(gstin: str) -> None:
    assert check_char(gstin[:14]) == gstin[14]
    assert check_char(gstin[:14].lower()) == gstin[14]
    assert gstin_problem(gstin) == ""


@pytest.mark.parametrize(
    "gstin",
    # The shipped template's old example, and the API document's own example: both mistyped.
    ["27AAACS1234A1Z5", "27AAACA1234A1Z5", "27AAPFU0939F1ZW", "27AAPFU0939G1ZV"],
)
def test_a_mistyped_gstin_fails_its_check_character(gstin: str) -> None:
    assert looks_like_gstin(gstin)
    assert gstin_problem(gstin) == "check character does not match (a typo?)"


def test_an_unknown_state_code_is_named() -> None:
    first14 = "64AAPFU0939F1Z"
    assert gstin_problem(first14 + check_char(first14)) == "64 is not a GST state code"


def test_the_table_holds_every_state_and_territory() -> None:
    assert STATE_CODES["27"] == "Maharashtra"
    assert STATE_CODES["29"] == "Karnataka"
    assert STATE_CODES["07"] == "Delhi"
    assert STATE_CODES["33"] == "Tamil Nadu"
    assert STATE_CODES["24"] == "Gujarat"
    assert STATE_CODES["38"] == "Ladakh"
    assert sorted(STATE_CODES) == [f"{n:02d}" for n in range(1, 39)] + ["97", "99"]


def test_the_sandbox_seed_uses_the_same_codes() -> None:
    for state, code, _, _ in demo_words.STATES:
        assert code in state_codes(state), state


@pytest.mark.parametrize(
    ("state", "codes"),
    [
        ("Maharashtra", {"27"}),
        ("  maharashtra ", {"27"}),
        ("Tamil  Nadu", {"33"}),
        ("Jammu & Kashmir", {"01"}),
        ("Orissa", {"21"}),
        ("New Delhi", {"07"}),
        ("Andhra Pradesh", {"28", "37"}),
        ("Dadra and Nagar Haveli and Daman and Diu", {"25", "26"}),
        ("Atlantis", set()),
        ("", set()),
    ],
)
def test_state_codes_of_a_state_as_people_write_it(state: str, codes: set[str]) -> None:
    assert state_codes(state) == codes


def test_a_gstin_of_another_state_is_told_apart() -> None:
    assert state_mismatch("27AAACS1234A1Z2", "Maharashtra") == ""
    assert state_mismatch("27AAACS1234A1Z2", "Karnataka") == (
        "starts 27 (Maharashtra), but the State is Karnataka"
    )
    # A State we do not know, or a code that names no state, cannot be compared.
    assert state_mismatch("27AAACS1234A1Z2", "Atlantis") == ""
    assert state_mismatch("99AAACS1234A1Z" + check_char("99AAACS1234A1Z"), "Goa") == ""
