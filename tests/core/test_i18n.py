from __future__ import annotations

import pytest

from desktop.core.i18n import full_name, missing_languages, pick, sort_name

TEXT = {"en": "Opening", "ru": "Открытие", "kk": "Ашылу"}


@pytest.mark.parametrize(
    ("texts", "lang", "expected", "lang_used", "fallback"),
    [
        (TEXT, "en", "Opening", "en", False),
        (TEXT, "kk", "Ашылу", "kk", False),
        ({"en": "Opening", "ru": "Открытие"}, "kk", "Открытие", "ru", True),
        ({"en": "Opening"}, "kk", "Opening", "en", True),
        ({"kk": "Ашылу"}, "en", "Ашылу", "kk", True),
        ({"en": "  ", "ru": "Открытие"}, "en", "Открытие", "ru", True),
        ({"de": "Eröffnung"}, "en", "Eröffnung", "de", True),
        ({}, "en", "", None, True),
        (None, "ru", "", None, True),
    ],
)
def test_pick_falls_back_and_flags_it(texts, lang, expected, lang_used, fallback) -> None:  # type: ignore[no-untyped-def]
    got = pick(texts, lang)
    assert (got.text, got.lang, got.fallback) == (expected, lang_used, fallback)


def test_missing_languages() -> None:
    assert missing_languages({"en": "x", "ru": " "}) == ["ru", "kk"]
    assert missing_languages(TEXT) == []


@pytest.mark.parametrize(
    ("args", "lang", "kw", "expected"),
    [
        (("Ержан", "Жиенбаев", None, {"en": "Yerzhan Zhienbayev"}), "en", {}, "Yerzhan Zhienbayev"),
        (("Ержан", "Жиенбаев", None, {"en": "Yerzhan Zhienbayev"}), "ru", {}, "Ержан Жиенбаев"),
        (("Айгерим", "Сәрсенбаева", "Нурлановна", {}), "kk", {"with_patronymic": True},
         "Айгерим Нурлановна Сәрсенбаева"),
        (("", "Nowak", None, None), "en", {}, "Nowak"),
    ],
)
def test_full_name(args, lang, kw, expected) -> None:  # type: ignore[no-untyped-def]
    assert full_name(*args, lang=lang, **kw) == expected


def test_sort_name_puts_surname_first() -> None:
    assert sort_name("Айгерим", "Сәрсенбаева", "Нурлановна") == "Сәрсенбаева Айгерим Нурлановна"


def test_sheet_name_puts_the_surname_first_in_every_language() -> None:
    from desktop.core.i18n import sheet_name

    assert sheet_name("Marta", "Dubois", None, None, "en") == "Dubois, Marta"
    assert sheet_name("Әлия", "Сәрсенбаева", "Ғалымқызы", None, "en") == "Сәрсенбаева, Әлия"
    assert sheet_name("Әлия", "Сәрсенбаева", "Ғалымқызы", None, "ru") == "Сәрсенбаева Әлия Ғалымқызы"
    assert sheet_name("Әлия", "Сәрсенбаева", "Ғалымқызы", None, "kk") == "Сәрсенбаева Әлия Ғалымқызы"
    # A display name is written as the person wants it; one part alone needs no comma.
    assert sheet_name("Aliya", "Sarsenbayeva", None, {"en": "Aliya Sarsenbayeva"}, "en") == "Aliya Sarsenbayeva"
    assert sheet_name(None, "Dubois", None, None, "en") == "Dubois"
