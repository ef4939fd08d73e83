"""One e-mail rule: every path that takes an address agrees on the same list of good and bad
ones — the rule itself (``core.checks``), the person editor's validation, the desk's walk-in,
Register with someone new, the importer (a CSV row), and the Register and walk-in dialogs'
own checks before they ask core.

The list leaves out what the importer repairs on purpose before it checks (spaces inside a
cell's address, several addresses split by ``,``/``;``, a ``mailto:`` prefix): a spreadsheet
cell is cleaned with a warning, a typed field is not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from db.engine import Database
from db.models import Category, Event
from desktop.core import desk
from desktop.core.checks import email_problem, is_valid_email
from desktop.core.desk import DeskError
from desktop.core.importing import Outcome, import_attendees
from desktop.core.people import PersonData, validate_person
from desktop.core.registration_edit import NewPerson, RegistrationError, register
from tests.import_files import write_csv

ADDRESSES: list[tuple[str, bool]] = [
    ("aliya@court.kz", True),
    ("A.Sarsenbayeva@Example.kz", True),
    ("a.b-c+tag@sub.example.org", True),
    ("  padded@example.kz ", True),
    ("иван@пример.рф", True),
    ("user@xn--e1afmkfd.xn--p1ai", True),
    ("o'brien@example.ie", True),
    ("x" * 64 + "@example.kz", True),
    # accepted by the walk-in and Register before there was one rule:
    ("a..b@x.com", False),
    ("a@b.c", False),
    ("a@x.com.", False),
    ("petrova@", False),
    ("@example.kz", False),
    ("no-at-sign.example.kz", False),
    ("a@b@example.kz", False),
    ("user@localhost", False),
    ("user@example.123", False),
    (".dot@example.kz", False),
    ("dot.@example.kz", False),
    ("user@-bad.kz", False),
    ("user@bad-.kz", False),
    ("user@exa_mple.kz", False),
    ("user@.example.kz", False),
    ("<user@example.kz>", False),
    ("x" * 65 + "@example.kz", False),
    ("a" * 250 + "@example.kz", False),
]


def _event(database: Database) -> int:
    with database.write() as session:
        event = Event(title={"en": "Round table"}, starts_on=dt.date(2025, 2, 28), ends_on=dt.date(2025, 2, 28))
        session.add(event)
        session.flush()
        return event.id


def _walk_in(database: Database, event_id: int, address: str) -> bool:
    try:
        desk.walk_in(database, event_id, "Anna", "Nowak", None, Category.PARTICIPANT, "Desk 1", email=address)
    except DeskError:
        return False
    return True


def _register(database: Database, event_id: int, address: str) -> bool:
    try:
        with database.write() as session:
            register(session, event_id,
                     new_person=NewPerson(given_name="Ivan", family_name="Petrov", email=address))
    except RegistrationError:
        return False
    return True


def _person_editor(address: str) -> bool:
    report = validate_person(PersonData(given_name="Anna", family_name="Nowak", email=address))
    return not [p for p in report.for_field("email") if p.is_error]


def _importer(database: Database, event_id: int, address: str, folder: Path) -> bool:
    path = write_csv(folder / "list.csv", [["ФИО", "E-mail"], ["Ким Ли", address]])
    verdict, = import_attendees(database, path, event_id).plan.verdicts
    assert verdict.outcome in (Outcome.NEW, Outcome.SKIPPED), verdict.message
    return verdict.outcome.imported


def _register_dialog(qtbot: QtBot, database: Database, event_id: int, address: str) -> bool:
    from desktop.ui.registrations.dialogs import RegisterDialog

    dialog = RegisterDialog(database, event_id)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(RegisterDialog.NEW)
    dialog.family_name.setText("Ким")
    dialog.email.setText(address)
    return dialog.register_button.isEnabled()


def _walk_in_dialog(qtbot: QtBot, address: str) -> bool:
    from desktop.ui.desk.walk_in import WalkInDialog

    dialog = WalkInDialog()
    qtbot.addWidget(dialog)
    dialog.family.setText("Nowak")
    dialog.email.setText(address)
    dialog.ok_button.click()
    return dialog.result() == WalkInDialog.DialogCode.Accepted


@pytest.mark.parametrize(("address", "good"), ADDRESSES)
def test_every_path_takes_the_same_addresses(address: str, good: bool, database: Database, tmp_path: Path,
                                             qtbot: QtBot) -> None:
    event_id = _event(database)  # the importer's first: the roster has none of the addresses yet
    accepted = {
        "checks.is_valid_email": is_valid_email(address),
        "checks.email_problem": email_problem(address) is None,
        "people.validate_person": _person_editor(address),
        "RegisterDialog": _register_dialog(qtbot, database, event_id, address),
        "importing (CSV row)": _importer(database, event_id, address, tmp_path),
        "desk.walk_in": _walk_in(database, _event(database), address),
        "registration_edit.register": _register(database, _event(database), address),
        "WalkInDialog": _walk_in_dialog(qtbot, address),
    }
    disagree = sorted(path for path, ok in accepted.items() if ok is not good)
    assert not disagree, f"{address!r} should be {'accepted' if good else 'refused'} by {disagree}"
