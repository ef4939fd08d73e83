"""The one rule for what a typed name meant (``desktop.core.name_match``): keyboard layouts,
spellings in another alphabet, and the readings the desk and the registration list search."""

from __future__ import annotations

import pytest

from desktop.core.name_match import (
    Layout,
    LayoutForm,
    latin_keys,
    layout_forms,
    meaning,
    skeleton,
    skeleton_matches,
    skeleton_terms,
)

R, K, E = Layout.RUSSIAN, Layout.KAZAKH, Layout.ENGLISH


@pytest.mark.parametrize(("typed", "forms"), [
    ("bdfyjd", [LayoutForm("иванов", R)]),
    ("Fquthbv", [LayoutForm("Айгерим", R)]),
    ("Зфьудф", [LayoutForm("Pamela", E)]),
    ("c2n,ftd", [LayoutForm("с2тбаев", R), LayoutForm("сәтбаев", K)]),  # digits: Kazakh letters too
    ("ЕУЫЕ33", [LayoutForm("TEST33", E)]),
    ("с2тбаев", [LayoutForm("c2n,ftd", E)]),
    ("сәтбаев", [LayoutForm("c2n,ftd", E)]),        # a Kazakh letter: read on the Kazakh layout
    ("dth[jdysq", [LayoutForm("верховный", R)]),
    ("123", []),
    ("", []),
    ("---", []),
])
def test_layout_forms(typed: str, forms: list[LayoutForm]) -> None:
    assert layout_forms(typed) == forms


@pytest.mark.parametrize(("typed", "keys"), [
    ("ЕУЫЕ33", "TEST33"), ("ФИС", "ABC"), ("ә", "2"), ("TEST33", "TEST33"), ("", ""),
])
def test_latin_keys(typed: str, keys: str) -> None:
    assert latin_keys(typed) == keys


@pytest.mark.parametrize(("a", "b"), [
    ("Жиенбаев", "Zhienbayev"), ("Жиенбаев", "Jienbaev"), ("Ержан", "Yerzhan"), ("Сәрсенбаева", "Sarsenbayeva"),
    ("Сәрсенбаева", "sarsenbaeva"), ("Қасымов", "Kassymov"), ("Қасымов", "Qasymov"), ("Юрий", "Yuriy"),
    ("Юрий", "Iurii"), ("Хабаров", "Khabarov"), ("Хабаров", "Habarov"), ("Щукин", "Shchukin"), ("Цой", "Tsoi"),
    ("Фёдор", "Fyodor"), ("Фёдор", "Fedor"), ("Алексей", "Alexey"), ("Wiśniewska", "wisniewska"),
    ("Şahin", "Shahin"), ("Айгерим", "Әйгерім"), ("Памела", "Pamela"), ("O'Neill", "Oneil"),
])
def test_skeleton_makes_spellings_one(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Иванов", "Иванова"), ("Цой", "Сой"), ("Жанар", "Шанар"),
    ("Сарсенбаев", "Сарсенбаева"), ("Harris", "Morris"),
])
def test_skeleton_keeps_names_apart(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


@pytest.mark.parametrize("value", ["Жиенбаев Ержан", "Wiśniewska", "Qasym-Jomart Tokayev", "O'Neill", "Щукин"])
def test_skeleton_is_plain_lower_case_words(value: str) -> None:
    """What a full-text index stores and finds as it is: a–z and digits, single spaces."""
    made = skeleton(value)
    assert made and made == made.strip() and "  " not in made
    assert all(ch.isascii() and (ch.islower() or ch.isdigit() or ch == " ") for ch in made)


@pytest.mark.parametrize(("typed", "sets"), [
    ("zhienbayev", [("jienbaev",)]),
    ("Ivanov Ivan", [("ivanov", "ivan")]),
    ("zhienbay", [("jienbai",), ("jienbae",)]),    # half of "ye": either way
    ("kuznet", [("kuznet",), ("kuzneq",)]),        # … of "ts" (Кузнецов)
    ("kas", [("kas",), ("kaw",)]),                 # … of "sh" (Кашаган)
    ("Nurlan kas", [("nurlan", "kas"), ("nurlan", "kaw")]),  # only the last word is half typed
    ("Ivanov I", [("ivanov",)]),                   # an initial spells nothing (the text as typed keeps it)
    ("sarsenbaeva", [("sarsenbaeva",)]),
    ("Жиенбаев", [("jienbaev",)]),
    ("ab", []),                                    # too short to be spelled otherwise
    ("lee", []),                                   # "le": a skeleton too short
    ("", []),
])
def test_skeleton_terms(typed: str, sets: list[tuple[str, ...]]) -> None:
    assert list(skeleton_terms(typed)) == sets


@pytest.mark.parametrize(("doc", "terms", "matches"), [
    ("jienbaev erjan", ("jienba",), True),
    ("jienbaev erjan", ("erj", "jien"), True),
    ("jienbaev erjan", ("ienbaev",), False),       # a term begins a word
    ("jienbaev erjan", ("erjan", "ivan"), False),  # every term
    ("jienbaev", (), False),
])
def test_skeleton_matches(doc: str, terms: tuple[str, ...], matches: bool) -> None:
    assert skeleton_matches(doc, terms) is matches


@pytest.mark.parametrize(("typed", "readings"), [
    # as typed (layout None) first, then the other layouts; each with its skeleton terms
    ("Fquthbv", [("Fquthbv", None, (("fkuthbv",),)), ("Айгерим", R, (("aigerim",),))]),
    ("Зфьудф", [("Зфьудф", None, (("zfudf",),)), ("Pamela", E, (("pamela",),))]),
    ("zhienbayev", [("zhienbayev", None, (("jienbaev",),)), ("яршутифнум", R, (("iarwutifnum",),))]),
    ("  Ivanov   Ivan ", [("Ivanov Ivan", None, (("ivanov", "ivan"),)),
                          ("Шмфтщм Шмфт", R, (("wmfqhcm", "wmft"), ("wmfqhcm", "wmfq")))]),
    ("ab", [("ab", None, ())]),                    # two letters: as typed only
    ("f", [("f", None, ())]),
])
def test_meaning(typed: str, readings: list[tuple[str, Layout | None, tuple[tuple[str, ...], ...]]]) -> None:
    meant = meaning(typed)
    assert [(r.text, r.layout, r.spelled) for r in meant.readings] == readings
    assert meant.as_typed.layout is None and meant.typed == " ".join(typed.split())
    assert meant.spellings == tuple(t for r in meant.readings for t in r.spelled)
