"""The People section in Russian and Kazakh: the page (roster, speakers, organisations; a
search that finds nothing, a list with nothing yet), the delete questions, the person dialog
with its problems and notes shown, the organisation picker, the organisation dialog and the
merge dialog are built in the interface language, and none of their texts — labels,
buttons, actions and their tips, column headings, cells and their tooltips, combo items,
placeholders, empty-list notes, counts — is an English message of the catalogs; core's
sentences about people, organisations and merges come in the language asked.

The same check finds the English messages when the section speaks English (so it can fail)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database
from db.models import AgendaSession, EventOrganisation, Organisation, Person, Registration, Role, RoleKind, Status
from desktop.core import organisations as org_core
from desktop.core import people as people_core
from desktop.core.events import event_detail, list_events
from desktop.core.language import interface_language, set_interface_language, words
from desktop.core.merge import MergeError, RegistrationBrief, RegistrationChoice, plan_merge
from desktop.core.organisations import OrganisationData, OrganisationUsage, validate_organisation
from desktop.core.people import PersonData, RegistrationPlace, RolePlace, validate_person
from desktop.ui.people.merge_dialog import MergeDialog
from desktop.ui.people.organisations import OrganisationDialog
from desktop.ui.people.page import ORGANISATIONS, ROSTER, SPEAKERS, PeoplePage
from desktop.ui.people.person_dialog import PersonDialog
from tests.ui.visible_texts import english_left, visible_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

_TAG = re.compile(r"<[^>]+>")


@pytest.fixture(params=["ru", "kk"])
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The interface language of the test, with Qt's own words in it (as the app loads them)."""
    yield from _speaking(request.param)


def _speaking(code: str) -> Iterator[str]:
    before = interface_language()
    set_interface_language(code)
    translator = QTranslator()
    if code != "en":
        assert translator.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        QCoreApplication.installTranslator(translator)
    try:
        yield code
    finally:
        QCoreApplication.removeTranslator(translator)
        set_interface_language(before)


@pytest.fixture
def english(qapp: QApplication) -> Iterator[str]:
    yield from _speaking("en")


def _lines(texts: list[str]) -> list[str]:
    """Each text, and each line of it without its HTML tags (a note, a question, problems)."""
    out = []
    for text in texts:
        out.append(text)
        out += [line.strip(" •") for line in _TAG.sub("\n", text).splitlines() if line.strip(" •")]
    return out


def _checked(texts: list[str], lang: str, at_least: int) -> None:
    assert len(set(texts)) >= at_least, texts  # the walk found the widgets' texts
    left = english_left(_lines(texts), lang)
    assert not left, f"English in {lang}: {left}"


def _event_id(database: Database) -> int:
    with database.read() as s:
        return list_events(s)[0].id


def _page(qtbot: QtBot, database: Database, lang: str) -> PeoplePage:
    page = PeoplePage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with database.read() as s:
        detail = event_detail(s, _event_id(database))
    page.show_event(database, detail, lang)
    page.show()
    qtbot.waitExposed(page)
    return page


def _on_stage_and_registered(database: Database) -> int:
    """A person with a role in the event's programme and a registration."""
    with database.read() as s:
        return int(s.scalar(
            select(Role.person_id).join(Registration, Registration.person_id == Role.person_id)
            .order_by(Role.person_id).limit(1)))


def _walk_page(page: PeoplePage, qtbot: QtBot) -> list[str]:
    texts: list[str] = []
    for view in (ROSTER, SPEAKERS, ORGANISATIONS):
        page.show_view(view)
        texts += visible_texts(page) + [page.hint_label.text(), page.count_label.text()]
        model = page.views.currentWidget().model()  # type: ignore[attr-defined]
        assert model.rowCount() > 0
        first = str(model.index(0, 0 if view != SPEAKERS else 2).data())
        page.search.setText(first)  # finds some, not all: "3 shown · 120 people"
        texts.append(page.count_label.text())
        page.search.setText("zzqx wvv")  # finds nothing
        note = page.empty_notes[view]
        qtbot.waitUntil(note.isVisible)
        texts += [note.text(), page.count_label.text()]
        page.search.clear()
    return texts


def test_the_people_page_speaks_the_interface_language(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, monkeypatch: pytest.MonkeyPatch,
        lang: str) -> None:
    asked: list[str] = []

    def ask(_parent: Any, title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        asked.extend([title, text])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", ask)
    monkeypatch.setattr(QMessageBox, "information", ask)
    page = _page(qtbot, demo_db, lang)
    texts = _walk_page(page, qtbot)
    assert page.roster_button.text() == words(lang)._("&Roster") != "&Roster"

    # The delete questions: a person with roles and a registration, an organisation people
    # work for, an organisation an event names (refused).
    page.show_view(ROSTER)
    assert page.select_person(_on_stage_and_registered(demo_db))
    page.delete_person_action.trigger()
    with demo_db.read() as s:
        with_people = s.scalar(select(Person.organisation_id).where(Person.organisation_id.is_not(None))
                               .where(Person.organisation_id.not_in(select(EventOrganisation.organisation_id)))
                               .limit(1))
        partner = s.scalar(select(EventOrganisation.organisation_id).limit(1))
    page.show_view(ORGANISATIONS)
    for organisation in (with_people, partner):
        assert page.select_organisation(organisation)
        page.delete_organisation_action.trigger()
    assert len(asked) == 6 and "<li>" in asked[1]

    # Lists with nothing in them yet.
    empty = PeoplePage()
    qtbot.addWidget(empty)
    for view in (ROSTER, SPEAKERS, ORGANISATIONS):
        empty.show_view(view)
        empty._filter(view)
        texts += [empty.empty_notes[view].text(), empty.count_label.text()]
    _checked(texts + asked, lang, 80)


def test_the_person_dialog_speaks_it_with_its_problems_and_notes(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, lang: str) -> None:
    dialog = PersonDialog(demo_db, lang)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.buttons.accepted.emit()  # Save tried: every problem shows
    dialog.email.setText("ahmetova@")
    dialog.phone.setText("phone")
    dialog.country.setEditText("Atlantis")
    dialog.texts.edit("position", "en").setText("Judge")  # the others lack it: a warning
    dialog.organisation.combo.setEditText("Совершенно новая организация")  # new: its sector is asked
    assert dialog.problems.isVisible() and dialog.warnings.isVisible() and dialog.organisation.new_row.isVisible()
    assert dialog.problems.text().count("\n") >= 3, dialog.problems.text()
    texts = visible_texts(dialog) + [dialog.problems.text(), dialog.warnings.text()]
    with demo_db.read() as s:
        taken = s.scalar(select(Person.email).where(Person.email.is_not(None)).limit(1))
        person_id = s.scalar(select(Person.id).where(Person.photo.is_(None)).limit(1))
    dialog.email.setText(taken)
    dialog.email.editingFinished.emit()  # someone has this e-mail too: a note
    assert dialog.warnings.text().count("\n") >= 1
    texts.append(dialog.warnings.text())
    dialog.photo.set_from_bytes(b"not a picture")
    texts.append(dialog.problems.text())

    edit = PersonDialog(demo_db, lang, person_id)
    qtbot.addWidget(edit)
    texts += visible_texts(edit)
    # Russian and Kazakh ask the surname first.
    assert edit.findChild(type(edit.family_name), "family_name") is edit.family_name
    form_labels = [label.text() for label in edit.findChildren(type(edit.problems)) if label.buddy() is not None]
    assert form_labels.index(words(lang)._("&Family name:")) < form_labels.index(words(lang)._("&Given name:"))
    _checked(texts, lang, 40)


def test_the_organisation_and_merge_dialogs_speak_it(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, lang: str) -> None:
    with demo_db.read() as s:
        organisation_id, = s.execute(select(Organisation.id).order_by(Organisation.id).limit(1)).one()
        taken = org_core.load_organisation(s, organisation_id).name
    dialog = OrganisationDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.texts.edit("name", "en").setText(next(iter(taken.values())))  # another organisation's name
    dialog.country.setEditText("Atlantis")
    dialog.logo.set_from_bytes(b"not a picture")
    assert dialog.problems.isVisible() and dialog.problems.text().count("\n") >= 2
    texts = visible_texts(dialog) + [dialog.problems.text()]
    edit = OrganisationDialog(demo_db, organisation_id)
    qtbot.addWidget(edit)
    texts += visible_texts(edit)

    first = _on_stage_and_registered(demo_db)
    with demo_db.read() as s:
        second = s.scalar(select(Registration.person_id).where(Registration.person_id != first)
                          .order_by(Registration.person_id).limit(1))
    merge = MergeDialog(demo_db, first, second, lang)
    qtbot.addWidget(merge)
    merge.show()
    qtbot.waitExposed(merge)
    texts += visible_texts(merge) + [merge.summary.text()]
    merge.keep_second_button.setChecked(True)
    texts += [merge.summary.text(), merge.merge_button.text()]
    assert merge.model.rowCount() > 3
    _checked(texts, lang, 30)


def test_core_says_its_people_sentences_in_the_language(demo_db: Database, lang: str) -> None:
    long_texts = PersonData(given_name="x" * 200, patronymic="x" * 200, honorific="x" * 50,
                            position={"ru": "x" * 400}, bio={"kk": "Өмірбаяны"}, email="a@b", phone="phone",
                            country="Atlantis", gender="robot")  # type: ignore[arg-type]
    sentences = [p.message for p in validate_person(long_texts)]
    sentences += [p.message for p in validate_person(PersonData())]
    sentences += [p.message for p in validate_organisation(OrganisationData(
        name={"en": "x" * 400}, short_name={"ru": "x" * 100}, sector="nowhere"))]  # type: ignore[arg-type]
    sentences += [p.message for p in validate_organisation(OrganisationData())]
    assert len(sentences) >= 14, sentences

    when = dt.datetime(2025, 2, 28, 9, 30)
    role = RolePlace(RoleKind.MODERATOR, {"en": "Round table"}, {}, {"en": "Opening"}, when, when)
    registration = RegistrationPlace({"en": "Round table"}, "K7Q2XM", Status.CONFIRMED, 2)
    impact = people_core.DeletionImpact(1, "Ахметова Әсем", (role,), (registration,))
    sentences += [role.describe(), registration.describe(),
                  RegistrationPlace({}, "K7Q2XM", Status.INVITED, 0).describe(),
                  impact.summary(), impact.summary(named=False), people_core.DeletionImpact(1, "Ә").summary(),
                  str(people_core.PersonInUse(impact)), words(lang)._(people_core.IN_USE_SINCE)]
    usage = OrganisationUsage("Верховный суд", ("A", "B"), ())
    sentences += [usage.sentence(), OrganisationUsage("Суд", (), ()).sentence(),
                  OrganisationUsage("Суд", (), tuple({"en": f"Event {i}"} for i in range(5))).sentence(),
                  OrganisationUsage("Суд", (), ({"en": "Event"},)).sentence()]
    kept, other = RegistrationBrief(1, "AAAAAA", Status.CONFIRMED, 0), RegistrationBrief(2, "BBBBBB", Status.INVITED, 3)
    for choice in (RegistrationChoice({"en": "E"}, None, other, "other"),
                   RegistrationChoice({"en": "E"}, kept, None, "kept"),
                   RegistrationChoice({"en": "E"}, kept, other, "other"),
                   RegistrationChoice({"en": "E"}, kept, RegistrationBrief(2, "B", Status.INVITED, 0), "kept")):
        sentences.append(choice.describe())
    with demo_db.read() as s:
        people = s.scalars(select(Role.person_id).order_by(Role.id).limit(2)).all()
        plan = plan_merge(s, people[0], people[1], lang)
        with pytest.raises(MergeError) as same:
            plan_merge(s, people[0], people[0])
        with pytest.raises(people_core.PersonNotFound) as gone:
            people_core.load_person(s, 10**9)
        with pytest.raises(org_core.OrganisationNotFound) as gone_org:
            org_core.load_organisation(s, 10**9)
        sessions = s.scalar(select(func.count()).select_from(AgendaSession))
    sentences += [plan.summary(), *(c.label for c in plan.fields), str(same.value), str(gone.value),
                  str(gone_org.value)]
    assert sessions and all(sentences)
    _checked(sentences, lang, 30)


def test_the_check_that_finds_english_can_fail(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, english: str) -> None:
    """In English the same walk finds the section's messages: the check is not blind."""
    page = _page(qtbot, demo_db, "en")
    texts = _lines(_walk_page(page, qtbot))
    found = set(english_left(texts, "ru"))
    assert {"&Roster", "Add person…", "Organisation", "Role in this event", "When"} <= found
    assert any(text.startswith("No matches for “zzqx wvv”.") for text in found)
    assert any(re.fullmatch(r"\d+ shown · \d+ people in the roster", text) for text in found)
    assert english_left([str(people_core.PersonInUse(people_core.DeletionImpact(1, "A")))], "kk")
