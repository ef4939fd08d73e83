"""desktop.core.countries: the one rule for a country's name (the dialogs' country box, the
report and the Excel participation sheet all use it)."""

from __future__ import annotations

import pytest

from desktop.core.countries import country_name


@pytest.mark.parametrize(("code", "lang", "name"), [
    ("KZ", "en", "Kazakhstan"),
    ("KZ", "ru", "Казахстан"),
    ("KZ", "kk", "Қазақстан"),
    ("kz", "en", "Kazakhstan"),          # a code in lower case
    ("DE", "ru", "Германия"),
    ("US", "kk", "Америка Құрама Штаттары"),
    ("XZ", "en", "XZ"),                  # no country of CLDR's: the code itself
])
def test_names_in_the_language(code: str, lang: str, name: str) -> None:
    assert country_name(code, lang) == name


@pytest.mark.parametrize(("lang", "words"), [("en", "Country not given"), ("ru", "Страна не указана"),
                                             ("kk", "Елі көрсетілмеген")])
@pytest.mark.parametrize("code", [None, ""])
def test_no_code_is_said_in_the_language(code: str | None, lang: str, words: str) -> None:
    assert country_name(code, lang) == words


def test_the_faces_use_the_one_rule() -> None:
    """The dialogs' country box, the report and the Excel export name no rule of their own."""
    import desktop.exports.attendees as attendees
    import desktop.exports.report as report

    assert not hasattr(report, "country_name") or report.country_name is country_name
    assert "def country_name" not in open(attendees.__file__, encoding="utf-8").read()
    fields = open(report.__file__.replace("exports/report.py", "ui/shell/fields.py"), encoding="utf-8").read()
    assert "def country_name" not in fields and "from desktop.core.countries import country_name" in fields
