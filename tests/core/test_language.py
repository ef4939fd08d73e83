"""The interface language and the catalogs (desktop/core/language.py, resources/translations):
every message of the source has its Russian and Kazakh translation, the compiled catalogs
say what the .po files say, plurals follow each language's rule, and the words for stored
values are one per value and language (desktop/core/vocabulary.py)."""

from __future__ import annotations

import gettext
import re

import pytest
from babel.messages.pofile import read_po

from db.models import Category, Gender, ItemKind, PartnerRole, RoleKind, Sector, Status
from desktop.core import vocabulary
from desktop.core.language import (
    ENV_LANGUAGE,
    choose_interface_language,
    interface_language,
    language_of_locale,
    set_interface_language,
    speaking,
    system_language,
    words,
)
from resources.translations import catalogs


@pytest.mark.parametrize("lang", catalogs.LANGUAGES)
def test_every_message_of_the_source_is_translated(lang: str) -> None:
    missing = catalogs.missing(lang)
    assert not missing, f"{len(missing)} messages without a {lang} translation (run `make catalogs` and " \
                        f"translate them): " + "; ".join(missing[:20])


@pytest.mark.parametrize("lang", catalogs.LANGUAGES)
def test_the_compiled_catalog_says_what_the_po_file_says(lang: str) -> None:
    with catalogs.po_path(lang).open("rb") as f:
        po = read_po(f, locale=lang)
    with catalogs.mo_path(lang).open("rb") as f:
        mo = gettext.GNUTranslations(f)
    checked = 0
    for message in po:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            for n, form in ((1, 0), (5, -1)):
                got = mo.npgettext(message.context, *message.id, n) if message.context else mo.ngettext(*message.id, n)
                assert got == message.string[form] or lang == "kk", (lang, message.id)
        else:
            got = mo.pgettext(message.context, message.id) if message.context else mo.gettext(message.id)
            assert got == message.string, f"{lang}: {message.id!r} is {got!r} in the .mo (run `make catalogs`)"
        checked += 1
    assert checked >= 50


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]|%[sd]")


@pytest.mark.parametrize("lang", catalogs.LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_message(lang: str) -> None:
    """{n}, {name}… in a message must all be in its translation (and no others), or
    ``format`` fails or prints a hole; Kazakh's single form may drop a count it states."""
    with catalogs.po_path(lang).open("rb") as f:
        po = read_po(f, locale=lang)
    wrong = []
    for message in po:
        if not message.id or not message.string:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(_PLACEHOLDER.findall(sources[-1])) | set(_PLACEHOLDER.findall(sources[0]))
        for string in strings:
            found = set(_PLACEHOLDER.findall(string))
            if not found <= wanted or not set(_PLACEHOLDER.findall(sources[0])) <= found | {"{n}"}:
                wrong.append(f"{sources[0]!r} → {string!r}")
    assert not wrong, f"{lang}: placeholders differ: " + "; ".join(wrong[:10])


def test_words_for_stored_values_cover_every_value_in_every_language() -> None:
    tables = [(Sector, vocabulary.sector), (Category, vocabulary.category), (Status, vocabulary.status),
              (Gender, vocabulary.gender), (ItemKind, vocabulary.item_kind)]
    for lang in ("en", "ru", "kk"):
        for enum, word in tables:
            seen = [word(value, lang) for value in enum]
            assert all(seen) and len(set(seen)) == len(seen), (enum.__name__, lang, seen)
        assert vocabulary.sector(None, lang)
        for kind in RoleKind:
            assert vocabulary.role(kind, lang) and vocabulary.role(kind, lang, several=True)
        for role in PartnerRole:
            assert vocabulary.partner_role(role, lang, several=True)


def test_one_word_per_value_as_the_issue_asks() -> None:
    assert vocabulary.sector(Sector.MEDIA, "ru") == "СМИ"
    assert vocabulary.sector(Sector.MEDIA, "en") == "Media"
    assert vocabulary.category(Category.SPEAKER, "ru") == "Спикер"
    # The same English word in two contexts may differ in Russian.
    assert vocabulary.sector(Sector.OTHER, "en") == vocabulary.item_kind(ItemKind.OTHER, "en") == "Other"
    assert vocabulary.role(RoleKind.MODERATOR, "kk", several=True) == "Модераторлар"


def test_the_interface_language_is_per_process_and_per_thread_for_a_while() -> None:
    before = interface_language()
    try:
        set_interface_language("ru")
        assert vocabulary.status(Status.CANCELLED) == "Отменена"
        with speaking("kk"):
            assert vocabulary.status(Status.CANCELLED) == "Күші жойылған"
        assert interface_language() == "ru"
        assert set_interface_language("de") == "en"
        assert vocabulary.status(Status.CANCELLED) == "Cancelled"
    finally:
        set_interface_language(before)


@pytest.mark.parametrize(("value", "lang"), [
    ("ru_RU.UTF-8", "ru"), ("kk_KZ", "kk"), ("kk", "kk"), ("en_GB.UTF-8", "en"), ("de_DE", "en"),
    ("", "en"), (None, "en"), ("ru-RU", "ru"),
])
def test_a_locale_name_gives_the_interface_language(value: str | None, lang: str) -> None:
    assert language_of_locale(value) == lang


def test_the_system_locale_is_read_as_gettext_reads_it() -> None:
    assert system_language({"LANG": "ru_RU.UTF-8"}) == "ru"
    assert system_language({"LANG": "en_US.UTF-8", "LC_ALL": "kk_KZ.UTF-8"}) == "kk"
    assert system_language({"LANGUAGE": "kk:ru", "LANG": "ru_RU.UTF-8"}) == "kk"
    assert system_language({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}) == "ru"
    assert system_language({}) == "en"


def test_an_unknown_language_speaks_english() -> None:
    assert words("de").lang == "en" and words("de").p_("sector", "Media") == "Media"


def test_the_interface_language_of_a_run_is_the_flag_then_the_environment_then_remembered_then_the_system() -> None:
    ru_system = {"LANG": "ru_RU.UTF-8"}
    assert choose_interface_language("kk", {ENV_LANGUAGE: "en", **ru_system}, remembered="en") == "kk"
    assert choose_interface_language(None, {ENV_LANGUAGE: "kk", **ru_system}, remembered="en") == "kk"
    assert choose_interface_language(None, {ENV_LANGUAGE: " KK ", **ru_system}) == "kk"
    assert choose_interface_language(None, ru_system, remembered="kk") == "kk"
    assert choose_interface_language(None, ru_system) == "ru"
    assert choose_interface_language(None, {"LANG": "kk_KZ.UTF-8"}, remembered=None) == "kk"
    assert choose_interface_language(None, {"LANG": "de_DE.UTF-8"}) == "en"
    assert choose_interface_language(None, {}) == "en"
    # The system's language may be told by the caller (the window asks Qt where there is no LANG).
    assert choose_interface_language(None, {}, system="kk") == "kk"
    assert choose_interface_language(None, {"LANG": "ru_RU.UTF-8"}, system="en") == "en"


@pytest.mark.parametrize("unknown", ["de", "", "  ", "english", 3, None])
def test_a_value_that_is_no_language_of_ours_is_passed_over_not_taken_for_english(unknown: object) -> None:
    ru_system = {"LANG": "ru_RU.UTF-8"}
    assert choose_interface_language(unknown if isinstance(unknown, str) else None,
                                     {ENV_LANGUAGE: "kk", **ru_system}) == "kk"
    assert choose_interface_language(None, {ENV_LANGUAGE: unknown, **ru_system} if isinstance(unknown, str)
                                     else ru_system, remembered="kk") == "kk"
    assert choose_interface_language(None, ru_system, remembered=unknown) == "ru"
