from __future__ import annotations

import random

import pytest

from desktop.core.codes import ALPHABET, LENGTH, BadgeCodes, is_valid_code, normalise_code
from desktop.core.translit import ascii_slug, to_latin


@pytest.mark.parametrize(
    ("cyr", "latin"),
    [
        ("Жиенбаев", "Zhienbaev"),
        ("Сәрсенбаева", "Sarsenbaeva"),
        ("Қайрат", "Kayrat"),
        ("Ғалым Әбдіков", "Galym Abdikov"),
        ("Щукин Юрий", "Shchukin Yuriy"),
        ("Wiśniewska", "Wiśniewska"),
    ],
)
def test_to_latin(cyr: str, latin: str) -> None:
    assert to_latin(cyr) == latin


def test_ascii_slug_drops_diacritics_and_symbols() -> None:
    assert ascii_slug("Wiśniewska-Nowak") == "wisniewskanowak"
    assert ascii_slug("Өмірбек") == "omirbek"


def test_badge_codes_are_unique_readable_and_avoid_taken() -> None:
    gen = BadgeCodes(random.Random(1), taken={"ABCDEF"})
    codes = [gen.new() for _ in range(5000)]
    assert len(set(codes)) == 5000 and "ABCDEF" not in codes
    assert all(is_valid_code(c) and len(c) == LENGTH for c in codes)
    assert not set("01ILOU") & set(ALPHABET)


@pytest.mark.parametrize(("typed", "stored"), [(" ab-c2 34 ", "ABC234"), ("xyz", "XYZ")])
def test_normalise_code(typed: str, stored: str) -> None:
    assert normalise_code(typed) == stored
