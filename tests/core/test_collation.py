"""Names as the region writes and sorts them: ``desktop.core.collation`` (each language's
alphabet, by ICU) and ``desktop.core.i18n``'s name forms; the Registrations list and the
roster sorted in SQL by the kept keys, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert

from db.engine import Database
from db.models import Category, Event, NameForm, Person, Registration, Status
from db.types import utcnow
from desktop.core.collation import ensure_sort_keys, key, name_key, sorted_texts
from desktop.core.i18n import listed_name, name_in_form, name_parts
from desktop.core.people import roster
from desktop.core.registrations import (
    RegistrationFilter,
    RegistrationSort,
    SortColumn,
    find_registrations,
    registration_ids,
)

# -- the alphabets ----------------------------------------------------------------------------

# (language, words in any order, the order expected)
ORDERS = [
    # Ё sorts with Е (by the letters after it), not before А as its code point would have it.
    ("ru", ["Ёлкина", "Абдрахманов"], ["Абдрахманов", "Ёлкина"]),
    ("ru", ["Ефимов", "Ёлкина", "Ежов", "Жуков"], ["Ежов", "Ёлкина", "Ефимов", "Жуков"]),
    ("ru", ["елкина", "Ёлкина", "Елкина"], ["елкина", "Елкина", "Ёлкина"]),  # case and ё only break ties
    # Kazakh: Ә after А, Ғ after Г, Қ after К, Ң after Н, Ө after О, Ұ and Ү after У, Һ after Х,
    # І after Ы; Ё a letter of its own after Е.
    ("kk", ["Бекова", "Әлиева", "Абенова"], ["Абенова", "Әлиева", "Бекова"]),
    ("kk", ["Дәулет", "Ғалым", "Гүлнар", "Вера"], ["Вера", "Гүлнар", "Ғалым", "Дәулет"]),
    ("kk", ["Лаура", "Қасым", "Кенжебек"], ["Кенжебек", "Қасым", "Лаура"]),
    ("kk", ["Оспан", "Ңұрлан", "Нұрлан"], ["Нұрлан", "Ңұрлан", "Оспан"]),
    ("kk", ["Пернебек", "Өмір", "Омар"], ["Омар", "Өмір", "Пернебек"]),
    ("kk", ["Фариза", "Үмбет", "Ұлан", "Усен"], ["Усен", "Ұлан", "Үмбет", "Фариза"]),
    ("kk", ["Цой", "Һәкім", "Хасен"], ["Хасен", "Һәкім", "Цой"]),
    ("kk", ["Эльмира", "Ісаев", "Ыбыраев"], ["Ыбыраев", "Ісаев", "Эльмира"]),
    ("kk", ["Жуков", "Ёлкина", "Ефимов"], ["Ефимов", "Ёлкина", "Жуков"]),
    # Cyrillic before Latin in Russian and Kazakh; Latin first in English.
    ("ru", ["Smith", "Яковлев", "Абаев"], ["Абаев", "Яковлев", "Smith"]),
    ("kk", ["Adams", "Ісаев", "Әбдіков"], ["Әбдіков", "Ісаев", "Adams"]),
    ("en", ["Яковлев", "Smith", "Абаев", "Adams"], ["Adams", "Smith", "Абаев", "Яковлев"]),
    # Latin letters with diacritics beside their base letter, in every language.
    ("en", ["Lukas", "Mazur", "Łukasz", "Ludwig"], ["Ludwig", "Lukas", "Łukasz", "Mazur"]),
    ("ru", ["Öztürk", "Owen", "Nowak"], ["Nowak", "Owen", "Öztürk"]),
]


@pytest.mark.parametrize(("lang", "given", "expected"), ORDERS)
def test_words_sort_by_the_languages_alphabet(lang: str, given: list[str], expected: list[str]) -> None:
    assert sorted(given, key=lambda w: key(w, lang)) == expected
    assert sorted_texts(reversed(given), str, lang) == expected
    assert sorted_texts(given, str, lang, reverse=True) == expected[::-1]


def test_the_code_point_order_was_wrong_which_is_why_this_exists() -> None:
    assert sorted(["Ёлкина", "Абдрахманов"]) == ["Ёлкина", "Абдрахманов"]  # Ё is U+0401, А U+0410


# (given, family, patronymic) in any order, expected in the order of a list by surname
PEOPLE = [
    ("Пётр", "Иванов", "Сергеевич"),
    ("Анна", "Иванова", None),
    ("Анна", "Иванов", "Петровна"),  # the same surname: then the given name
    ("Анна", "Иванов", "Ивановна"),  # the same given name too: then the patronymic
    ("Мадонна", "", None),           # only a given name: listed by it
]


def test_a_list_by_surname_compares_surname_given_name_patronymic() -> None:
    ordered = sorted(PEOPLE, key=lambda p: name_key(p[0], p[1], p[2], None, "ru"))
    assert ordered == [("Анна", "Иванов", "Ивановна"), ("Анна", "Иванов", "Петровна"), ("Пётр", "Иванов", "Сергеевич"),
                       ("Анна", "Иванова", None), ("Мадонна", "", None)]


def test_a_display_name_in_the_language_is_sorted_by_its_last_word() -> None:
    display = {"en": "Yerzhan Zhienbayev"}
    assert name_parts("Ержан", "Жиенбаев", None, display, "en") == ("Zhienbayev", "Yerzhan", "")
    assert name_parts("Ержан", "Жиенбаев", None, display, "ru") == ("Жиенбаев", "Ержан", "")
    assert name_key("Ержан", "Жиенбаев", None, display, "en") > name_key("John", "Smith", None, None, "en")
    assert name_key("Ержан", "Жиенбаев", None, display, "ru") < name_key("John", "Smith", None, None, "ru")


# -- the name's forms ---------------------------------------------------------------------------

NAMES = [
    # (lang, display names, listed, short)
    ("ru", None, "Крутиков Алексей Сергеевич", "Алексей Крутиков"),
    ("kk", None, "Крутиков Алексей Сергеевич", "Алексей Крутиков"),
    ("en", None, "Алексей Крутиков", "Алексей Крутиков"),
    ("en", {"en": "Alexey Krutikov"}, "Alexey Krutikov", "Alexey Krutikov"),
    ("ru", {"en": "Alexey Krutikov"}, "Крутиков Алексей Сергеевич", "Алексей Крутиков"),
    ("ru", {"ru": "Алексей Крутиков"}, "Алексей Крутиков", "Алексей Крутиков"),  # the display name wins
]


@pytest.mark.parametrize(("lang", "display", "listed", "short"), NAMES)
def test_lists_write_the_surname_first_with_the_patronymic_in_russian_and_kazakh(
        lang: str, display: dict[str, str] | None, listed: str, short: str) -> None:
    assert listed_name("Алексей", "Крутиков", "Сергеевич", display, lang) == listed
    assert name_in_form(NameForm.FULL, "Алексей", "Крутиков", "Сергеевич", display, lang) == listed
    assert name_in_form("short", "Алексей", "Крутиков", "Сергеевич", display, lang) == short


def test_two_people_of_the_same_name_are_told_apart_by_the_patronymic() -> None:
    a = listed_name("Алексей", "Крутиков", "Сергеевич", None, "ru")
    b = listed_name("Алексей", "Крутиков", "Петрович", None, "ru")
    assert a != b and listed_name("Алексей", "Крутиков", None, None, "ru") == "Крутиков Алексей"


# -- the lists, sorted in SQL --------------------------------------------------------------------

# family, given, patronymic — written in this order (ids rise), expected in each language's
LIST = [
    ("Ёлкина", "Анна", "Петровна"),
    ("Абдрахманов", "Марат", None),
    ("Smith", "John", None),
    ("Әлиев", "Серік", None),
    ("Ефимов", "Олег", None),
    ("Ісаев", "Нұрлан", None),
    ("Ыбыраев", "Ерлан", None),
    ("Adams", "Jane", None),
]
EXPECTED = {
    "ru": ["Абдрахманов", "Әлиев", "Ёлкина", "Ефимов", "Ісаев", "Ыбыраев", "Adams", "Smith"],
    "kk": ["Абдрахманов", "Әлиев", "Ефимов", "Ёлкина", "Ыбыраев", "Ісаев", "Adams", "Smith"],
    "en": ["Adams", "Smith", "Абдрахманов", "Әлиев", "Ёлкина", "Ефимов", "Ісаев", "Ыбыраев"],
}


def _event_with(database: Database, people: list[tuple[str, str, str | None]]) -> tuple[int, dict[int, str]]:
    """An event with a registration for each of ``people``, written by plain SQL (no keys
    made: a writer outside core); (event id, family name by registration id)."""
    now = utcnow()
    families = {}
    with database.write() as s:
        event_id = s.execute(insert(Event.__table__).values(
            uuid=uuid.uuid4(), title={"en": "Sort"}, subtitle={}, starts_on=now.date(), ends_on=now.date(),
            timezone="UTC", venue={}, city={}, languages=["en", "ru", "kk"], is_demo=False,
            created_at=now, updated_at=now)).inserted_primary_key[0]
        for n, (family, given, patronymic) in enumerate(people):
            pid = s.execute(insert(Person.__table__).values(
                uuid=uuid.uuid4(), given_name=given, family_name=family, patronymic=patronymic, display_name={},
                position={}, bio={}, gender="not_stated", created_at=now, updated_at=now)).inserted_primary_key[0]
            rid = s.execute(insert(Registration.__table__).values(
                uuid=uuid.uuid4(), event_id=event_id, person_id=pid, category=Category.PARTICIPANT,
                status=Status.CONFIRMED, badge_code=f"SRT{n:03d}", source="manual",
                created_at=now, updated_at=now)).inserted_primary_key[0]
            families[int(rid)] = family
    return int(event_id), families


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_registration_list_is_sorted_by_the_database_in_the_languages_alphabet(
        database: Database, lang: str) -> None:
    event_id, families = _event_with(database, LIST)
    ensure_sort_keys(database)  # what the Registrations page does when it reads the list
    up, down = RegistrationSort(SortColumn.NAME), RegistrationSort(SortColumn.NAME, descending=True)
    with database.read_raw() as read:
        ids = registration_ids(read, event_id, RegistrationFilter(), up, lang)
        reverse = registration_ids(read, event_id, RegistrationFilter(), down, lang)
        window = find_registrations(read, event_id, RegistrationFilter(), up, offset=2, limit=3, lang=lang)
        searched = find_registrations(read, event_id, RegistrationFilter(search="а"), up, lang=lang)
        by_status = registration_ids(read, event_id, RegistrationFilter(), RegistrationSort(SortColumn.STATUS), lang)
    assert [families[i] for i in ids] == EXPECTED[lang]
    assert [families[i] for i in reverse] == EXPECTED[lang][::-1]
    assert [families[r.id] for r in window.rows] == EXPECTED[lang][2:5]
    # A search sorts whole rows, not ids: the same order among those it finds.
    assert [families[r.id] for r in searched.rows] == [f for f in EXPECTED[lang] if families_with_a(f)]
    assert [families[i] for i in by_status] == EXPECTED[lang]  # one status: then by name
    with database.read_raw() as read:
        names = {families[r.id]: r.name for r in find_registrations(read, event_id, lang=lang).rows}
    assert names["Ёлкина"] == ("Анна Ёлкина" if lang == "en" else "Ёлкина Анна Петровна")
    assert names["Smith"] == ("John Smith" if lang == "en" else "Smith John")


def families_with_a(family: str) -> bool:
    given = {f: g for f, g, _p in LIST}[family]
    patronymic = {f: p for f, _g, p in LIST}[family] or ""
    return any(word.lower().startswith("а") for word in (family, given, patronymic))


def test_people_whose_keys_are_not_made_yet_come_last_until_they_are(database: Database) -> None:
    event_id, families = _event_with(database, LIST[:3])
    with database.read_raw() as read:
        before = registration_ids(read, event_id, RegistrationFilter(), RegistrationSort(), "ru")
    assert len(before) == 3  # listed all the same (after those with keys, by registration)
    ensure_sort_keys(database)
    with database.read_raw() as read:
        after = registration_ids(read, event_id, RegistrationFilter(), RegistrationSort(), "ru")
    assert [families[i] for i in after] == ["Абдрахманов", "Ёлкина", "Smith"]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_roster_is_sorted_and_named_as_the_language_does(database: Database, lang: str) -> None:
    _event_with(database, LIST)
    with database.read() as s:  # keys not made: the roster makes them for itself
        unmade = [r.name for r in roster(s, None, lang)]
    ensure_sort_keys(database)
    with database.read() as s:
        made = [r.name for r in roster(s, None, lang)]
    assert unmade == made
    assert [n.split()[0 if lang == "ru" else -1] for n in made] == EXPECTED[lang]
    assert ("Ёлкина Анна Петровна" if lang == "ru" else "Анна Ёлкина") in made


def test_without_icu_loaded_keys_are_made_again_only_when_they_do_not_sort_alike(
        database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """An export or a list that finds every key made need not load ICU (some 20 MiB) to
    learn its version: keys of one ICU sort alike; unmade keys, keys of two ICUs, or of
    another key format are made again."""
    import sys

    from sqlalchemy import text

    from desktop.core.collation import _keys_to_make, collator_version

    _event_with(database, LIST[:4])
    assert ensure_sort_keys(database) == 4
    monkeypatch.delitem(sys.modules, "icu")  # as in a process that has not loaded it

    def after(sql: str) -> bool:
        with database.write() as s:
            s.execute(text(sql))
        with database.read() as s:
            return _keys_to_make(s)

    assert after("SELECT 1") is False  # all made by this ICU
    assert after("UPDATE person_key SET sort_collator = '1/icu1.0/uc1.0'") is False  # one older ICU: alike
    assert after("UPDATE person_key SET sort_collator = '1/icu2.0/uc2.0' "
                 "WHERE person_id = (SELECT min(person_id) FROM person_key)") is True  # two ICUs meet
    assert after("UPDATE person_key SET sort_collator = '0/icu1.0/uc1.0'") is True  # another key format
    assert after(f"UPDATE person_key SET sort_collator = '{collator_version()}'") is False
    assert after("UPDATE person_key SET sort_collator = NULL "
                 "WHERE person_id = (SELECT min(person_id) FROM person_key)") is True  # one unmade
    monkeypatch.undo()
    assert ensure_sort_keys(database) == 1 and "icu" in sys.modules
