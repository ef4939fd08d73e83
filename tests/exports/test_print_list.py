"""The people of the printed pages, read a batch at a time (``print_common.PrintList``):
the same people in the same order as one sort of them all in Python, whatever the batch,
with kept sort keys missing or stale, and the same pages (issue 13: a list of 100,000 is
never held whole)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, select, text, type_coerce

from db.models import Organisation, Person, Registration, Status
from desktop.core.collation import name_key
from desktop.exports.print_common import SECTOR_ORDER, PrintList, count_attendees, load_attendees
from tests.exports.pdf_tools import page_texts

LANGS = ("en", "ru", "kk")


def _sorted_in_python(session: Any, event_id: int, lang: str, by_sector: bool = False) -> list[int]:
    """The print order as one Python sort of every chosen registration's name key."""
    rows = session.execute(
        select(Registration.id, Person.given_name, Person.family_name, Person.patronymic, Person.display_name,
               type_coerce(Organisation.sector, String))
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Registration.event_id == event_id,
               Registration.status.not_in([Status.CANCELLED, Status.DECLINED]))).all()
    return [r[0] for r in sorted(rows, key=lambda r: (
        SECTOR_ORDER.index(r[5]) if by_sector else 0, name_key(r[1], r[2], r[3], r[4], lang), r[0]))]


def _spoil_keys(database: Any) -> None:
    """Some people's kept keys missing, some made by another ICU and wrong (a program
    other than core wrote their names): the list must not use them."""
    with database.write() as s:
        s.execute(text("UPDATE person_key SET sort_collator = NULL, sort_en = NULL, sort_ru = NULL, sort_kk = NULL "
                       "WHERE person_id % 5 = 0"))
        s.execute(text("UPDATE person_key SET sort_collator = 'other', sort_en = sort_kk, sort_ru = sort_en, "
                       "sort_kk = sort_ru WHERE person_id % 5 = 1"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("by_sector", [False, True])
def test_the_order_is_one_sort_of_everyone_by_name_key(demo, lang: str, by_sector: bool) -> None:
    database, event_id = demo
    with database.read() as s:
        expected = _sorted_in_python(s, event_id, lang, by_sector)
        people = PrintList(s, event_id, lang, by_sector=by_sector, batch=7)
        assert list(people.ids) == expected
        assert [p.registration_id for p in people] == expected
        assert len(people) == len(expected) > 100


@pytest.mark.parametrize("lang", LANGS)
def test_keys_missing_or_stale_are_made_and_the_order_is_the_same(demo, lang: str) -> None:
    database, event_id = demo
    with database.read() as s:
        fresh = load_attendees(s, event_id, lang)
    _spoil_keys(database)
    with database.read() as s:
        assert list(PrintList(s, event_id, lang, by_sector=True).ids) == _sorted_in_python(s, event_id, lang, True)
        spoiled = load_attendees(s, event_id, lang)
    assert spoiled == fresh  # the same people, each with its own key (not the stale one kept)


def test_batches_hold_the_people_of_one_read(demo) -> None:
    database, event_id = demo
    with database.read() as s:
        whole = load_attendees(s, event_id, "ru")
        batches = list(PrintList(s, event_id, "ru", batch=10).batches())
        chosen = [p.registration_id for p in whole[::3]]
        picked = PrintList(s, event_id, "ru", registration_ids=list(reversed(chosen)), batch=4)
        picked_people = list(picked)
    assert [len(b) for b in batches[:-1]] == [10] * (len(batches) - 1)
    assert [p for b in batches for p in b] == whole
    assert picked_people == whole[::3]  # given ids come in print order too
    assert any(p.short_organisation for p in whole) and any(p.sector is None for p in whole)


def test_counts_come_from_sql_and_agree_with_the_people(demo) -> None:
    database, event_id = demo
    with database.read() as s:
        people = PrintList(s, event_id, "en", by_sector=True, batch=9)
        everyone = list(people)
        assert people.sector_counts() == Counter(p.sector for p in everyone)
        assert len(set(people.sector_counts())) > 2
        assert count_attendees(s, event_id) == len(people) == len(everyone)
        assert count_attendees(s, event_id, statuses=["cancelled"]) == len(
            PrintList(s, event_id, statuses=["cancelled"])) > 0
        assert len(PrintList(s, event_id, registration_ids=[])) == 0


@pytest.mark.parametrize("kind", ["sign_in", "sign_in_sector", "participants", "badges", "name_cards",
                                  "certificates"])
def test_pages_are_the_same_whatever_the_batch(demo, tmp_path: Path, monkeypatch, kind: str) -> None:
    """Each writer reads its people a batch at a time: in batches of 4 its pages say what
    they say in one batch of everyone (numbering, a sector's heading and count, arrivals,
    certificate numbers across batches)."""
    import desktop.exports.print_common as print_common
    from desktop.core.desk import check_in
    from desktop.exports.badges import export_badges
    from desktop.exports.certificates import export_certificates
    from desktop.exports.name_cards import export_name_cards
    from desktop.exports.sign_in import export_sign_in_sheet

    database, event_id = demo
    with database.read() as s:
        codes = [p.code for p in load_attendees(s, event_id, "ru")][::4]
    for code in codes:
        check_in(database, event_id, code, "A")
    writers = {
        "sign_in": lambda path: export_sign_in_sheet(database, path, event_id, lang="ru"),
        "sign_in_sector": lambda path: export_sign_in_sheet(database, path, event_id, lang="kk", group_by_sector=True),
        "participants": lambda path: export_sign_in_sheet(database, path, event_id, lang="ru", group_by_sector=True,
                                                          only_checked_in=True),
        "badges": lambda path: export_badges(database, path, event_id, lang="kk", layout="a4-10"),
        "name_cards": lambda path: export_name_cards(database, path, event_id, lang="en"),
        "certificates": lambda path: export_certificates(database, path, event_id, lang="ru"),
    }
    whole = writers[kind](tmp_path / "whole.pdf")
    monkeypatch.setattr(print_common, "BATCH", 4)
    batched = writers[kind](tmp_path / "batched.pdf")
    assert (batched.items, batched.pages) == (whole.items, whole.pages)
    assert page_texts(tmp_path / "batched.pdf") == page_texts(tmp_path / "whole.pdf")
