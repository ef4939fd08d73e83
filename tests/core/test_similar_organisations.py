"""Near-twins of organisations (desktop/core/organisations.py, ``OrganisationNames``): a new
name whose words an existing organisation's name holds, or the other way round, suggests the
existing one — at the desk's walk-in (tests/ui/desk) and in the import's report (here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db.engine import Database
from db.models import Event, Organisation
from desktop.core.importing import import_attendees
from desktop.core.organisations import OrganisationNames, similar_organisations
from tests.import_files import write_csv

MINJUST = {"ru": "Министерство юстиции Республики Казахстан",
           "kk": "Қазақстан Республикасының Әділет министрлігі",
           "en": "Ministry of Justice of the Republic of Kazakhstan"}
COURT = {"ru": "Верховный суд", "en": "Supreme Court"}
OSCE = ({"en": "OSCE Programme Office in Astana"}, {"en": "OSCE"})
MINFIN = {"ru": "Министерство финансов Республики Казахстан"}
ROWS = [(1, MINJUST, {}), (2, COURT, {}), (3, *OSCE), (4, MINFIN, None)]


@pytest.mark.parametrize(("typed", "expected"), [
    ("Министерство юстиции", [1]),                       # the existing name holds the typed words
    ("  министерство   ЮСТИЦИИ ", [1]),                  # in any case and spacing
    ("Әділет министрлігі", [1]),                         # in any of its languages
    ("Ministry of Justice", [1]),
    ("Верховный суд Республики Казахстан", [2]),         # the typed name holds the existing one's words
    ("Office of the OSCE", [3]),                         # a short name counts
    ("Министерство", [4, 1]),                            # both hold it; the same length, by name
    ("Республики Казахстан", [4, 1]),
    ("Министерство юстиции Республики Казахстан", []),   # that is an organisation's name: nothing is added
    ("SUPREME COURT", []),
    ("«Верховный суд»", []),                             # quotes do not make a new name
    ("юстиции Министерство", []),                        # the words must be consecutive, in order
    ("Министерство юст", []),                            # and whole
    ("Министерство финансов и юстиции", []),
    ("Суд", []),                                         # too short to mean any one organisation
    ("", []),
])
def test_a_name_suggests_the_organisations_whose_words_hold_it_or_are_held(typed: str,
                                                                           expected: list[int]) -> None:
    assert [s.id for s in OrganisationNames(ROWS, "ru").similar(typed)] == expected


def test_the_closest_in_length_comes_first_and_the_label_is_in_the_language_asked() -> None:
    rows = [(1, {"en": "Court of Appeal of the Republic"}, {}), (2, {"en": "Court of Appeal"}, {}),
            (3, {"en": "Appeal"}, {})]
    found = OrganisationNames(rows).similar("Court of Appeal of the")
    assert [(s.id, s.name) for s in found] == [(1, "Court of Appeal of the Republic"), (2, "Court of Appeal"),
                                               (3, "Appeal")]
    assert OrganisationNames(rows).similar("Court of Appeal of the", limit=1)[0].id == 1
    kk = OrganisationNames([(1, MINJUST, {})], "kk").similar("Министерство юстиции")[0]
    assert (kk.name, kk.label) == (MINJUST["ru"], MINJUST["kk"])


def test_read_from_the_database(database: Database) -> None:
    with database.write() as session:
        session.add_all([Organisation(name=MINJUST), Organisation(name=COURT)])
    with database.read() as session:
        found = similar_organisations(session, "Министерство юстиции", "en")
    assert [(s.name, s.label) for s in found] == [(MINJUST["ru"], MINJUST["en"])]


def test_the_import_report_names_the_row_and_the_existing_organisation(database: Database, tmp_path: Path) -> None:
    with database.write() as session:
        session.add(Organisation(name=MINJUST))
        event = Event(title={"en": "Round table"}, starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28))
        session.add(event)
        session.flush()
        event_id = event.id
    path = write_csv(tmp_path / "list.csv", [
        ["ФИО", "Организация"],
        ["Иванов Иван", "Министерство юстиции Республики Казахстан"],  # the existing one: no note
        ["Петрова Анна", "Министерство юстиции"],                      # new, a near-twin: noted
        ["Ким Ли", "министерство юстиции"],                            # the same new one again: once is enough
        ["Смит Джон", "Рога и копыта"],                                # new, like nothing: no note
    ])
    report = import_attendees(database, path, event_id, dry_run=True)
    assert report.problem_lines() == [
        "row 3: imported, but an organisation with a similar name exists already, "
        "“Министерство юстиции Республики Казахстан”: if “Министерство юстиции” is the same, "
        "write its name in the file.",
    ]
    assert [bool(v.warnings) for v in report.plan.verdicts] == [False, True, False, False]
