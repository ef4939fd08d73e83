"""The People section as a user drives it: add, edit, delete, merge, organisations, undo.

Expected values come from ``desktop.core`` on the same database. Message boxes are
replaced by recorders; dialogs are real (they are opened window-modal, not exec'd).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database
from db.models import CheckIn, Organisation, Person, Registration, Role, Sector
from desktop.core.events import list_events
from desktop.core.folding import search_terms
from desktop.core.merge import plan_merge
from desktop.core.organisations import organisation_rows
from desktop.core.people import deletion_impact, load_person, roster, speakers
from desktop.core.registrations import registration_rows
from desktop.ui.people.merge_dialog import MergeModel
from desktop.ui.people.organisations import OrganisationsModel
from desktop.ui.people.page import ORGANISATIONS, ROSTER, SPEAKERS, PeopleModel, PeoplePage, SpeakersModel
from desktop.ui.people.person_dialog import PersonDialog
from desktop.ui.shell.main_window import PEOPLE, MainWindow
from tests.images import png

# The offscreen platform cannot pass a dialog's size limits to a window system it does not
# have, and says so whenever a shown dialog's layout changes; real platforms can.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

YES = QMessageBox.StandardButton.Yes
NO = QMessageBox.StandardButton.No


class Recorder:
    """Stands in for a static ``QMessageBox`` function and records its calls."""

    def __init__(self, result: Any = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.result = result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args)
        return self.result


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key, in any script (QTest's key clicks know ASCII only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def event_id(database: Database) -> int:
    with database.read() as session:
        return list_events(session)[0].id


def people_page(window: MainWindow, qtbot: QtBot) -> PeoplePage:
    window.show_section(PEOPLE)
    window.activateWindow()
    qtbot.waitActive(window)
    page = window.people_page
    page.view.setFocus()
    return page


def row_of(page: PeoplePage, name: str) -> int:
    rows = [i for i in range(page.model.rowCount()) if page.model.row_at(i).name == name]
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows[0]


def select_rows(page: PeoplePage, *rows: int) -> None:
    selection = page.view.selectionModel()
    selection.clearSelection()
    for i, row in enumerate(rows):
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        if i == 0:
            selection.setCurrentIndex(page.model.index(row, 0), flags)
        else:
            selection.select(page.model.index(row, 0), flags)


def count(database: Database, model: type[Any]) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# -- models -------------------------------------------------------------------------------


def test_every_model_of_the_section_passes_the_model_tester(qtmodeltester: ModelTester, demo_db: Database) -> None:
    ev = event_id(demo_db)
    with demo_db.read() as session:
        people = roster(session, ev)
        on_stage = speakers(session, ev)
        organisations = organisation_rows(session)
        plan = plan_merge(session, people[0].id, people[1].id)
    roster_model = PeopleModel()
    qtmodeltester.check(roster_model)
    roster_model.set_source(demo_db, ev, "en")
    roster_model.set_search("")
    qtmodeltester.check(roster_model)
    assert [r.id for r in roster_model.rows()] == [r.id for r in people]
    for column in range(roster_model.columnCount()):
        roster_model.sort(column, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(roster_model)
    assert roster_model.rowCount() == len(people)
    for model, rows in ((SpeakersModel(), on_stage), (OrganisationsModel(), organisations)):
        qtmodeltester.check(model)
        model.set_rows(rows)
        qtmodeltester.check(model)
        for column in range(model.columnCount()):
            model.sort(column, Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(model)
        assert model.rowCount() == len(rows)
    merge = MergeModel()
    qtmodeltester.check(merge)
    merge.set_plan(plan)
    qtmodeltester.check(merge)
    assert merge.rowCount() == sum(1 for c in plan.fields if c.source != "none")


def test_the_merge_model_marks_what_is_kept_and_what_is_dropped(demo_db: Database) -> None:
    ev = event_id(demo_db)
    with demo_db.read() as session:
        people = roster(session, ev)
        plan = plan_merge(session, people[0].id, people[1].id)
    model = MergeModel()
    model.set_plan(plan)
    given = next(r for r in range(model.rowCount()) if model.choice(r).field == "given_name")
    dropped = model.index(given, MergeModel.OTHER).data(Qt.ItemDataRole.FontRole)
    assert dropped is not None and dropped.strikeOut()
    assert model.index(given, MergeModel.RESULT).data() == model.index(given, MergeModel.KEPT).data()
    assert model.index(given, MergeModel.RESULT).data(Qt.ItemDataRole.FontRole).bold()


# -- adding and editing ----------------------------------------------------------------------


def test_ctrl_n_in_the_section_adds_a_person_not_a_database(window: MainWindow, qtbot: QtBot,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    page = people_page(window, qtbot)
    new_database = Recorder(("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", new_database)
    qtbot.keyClick(page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(page.person_dialog, PersonDialog)
    assert not new_database.calls
    page.person_dialog.reject()


def test_add_a_person_with_a_new_organisation_then_undo_and_redo(window: MainWindow, qtbot: QtBot,
                                                                  demo_db: Database) -> None:
    page = people_page(window, qtbot)
    before = page.model.rowCount()
    organisations = count(demo_db, Organisation)
    qtbot.keyClick(page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.person_dialog
    assert dialog is not None
    assert not dialog.save_button.isEnabled()  # no name yet
    type_text(dialog.given_name, "Әсел")
    type_text(dialog.family_name, "Сәрсенбаева")
    qtbot.keyClicks(dialog.email, "a.sarsenbayeva@example.kz")
    type_text(dialog.organisation.combo.lineEdit(), "Министерство цифрового развития")
    assert dialog.organisation.new_row.isVisibleTo(dialog)
    dialog.organisation.sector_box.setCurrentIndex(dialog.organisation.sector_box.findData(Sector.GOVERNMENT.value))
    type_text(dialog.texts.edit("position", "kk"), "Бас маман")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert page.model.rowCount() == before + 1
    selected = page.selected_people()
    assert len(selected) == 1
    row = page.model.row_at(page.view.currentIndex().row())
    assert (row.name, row.organisation, row.sector, row.position) == (
        "Әсел Сәрсенбаева", "Министерство цифрового развития", Sector.GOVERNMENT, "Бас маман")
    assert count(demo_db, Organisation) == organisations + 1
    assert window.undo_action.text() == "&Undo Add Әсел Сәрсенбаева"
    assert not window.isWindowModified()  # each step saved as it was made: nothing is unsaved

    window.undo_action.trigger()
    assert page.model.rowCount() == before
    assert count(demo_db, Organisation) == organisations  # the organisation made with them goes too
    window.redo_action.trigger()
    assert page.model.rowCount() == before + 1
    assert page.model.row_at(page.view.currentIndex().row()).name == "Әсел Сәрсенбаева"
    assert count(demo_db, Organisation) == organisations + 1


def test_edit_with_enter_and_take_it_back_with_ctrl_z(window: MainWindow, qtbot: QtBot, demo_db: Database) -> None:
    page = people_page(window, qtbot)
    row = row_of(page, "Paweł Wiśniewski")
    select_rows(page, row)
    person_id = page.model.row_at(row).id
    with demo_db.read() as session:
        before = load_person(session, person_id)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    dialog = page.person_dialog
    assert dialog is not None and dialog.given_name.text() == "Paweł"
    dialog.texts.edit("position", "en").setText("Counsellor")
    dialog.phone.setText("+48 22 000 00 00")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    shown = page.model.row_at(page.view.currentIndex().row())
    assert (shown.name, shown.position) == ("Paweł Wiśniewski", "Counsellor")
    with demo_db.read() as session:
        assert load_person(session, person_id).phone == "+48 22 000 00 00"

    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with demo_db.read() as session:
        assert load_person(session, person_id) == before
    assert page.model.row_at(page.view.currentIndex().row()).position == "Attaché"


def test_the_dialog_flags_missing_translations_and_refuses_a_bad_email(qtbot: QtBot, styled_app: Any,
                                                                        demo_db: Database) -> None:
    dialog = PersonDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.family_name.setText("Ахметова")
    dialog.texts.edit("position", "ru").setText("Судья")
    assert [bool(dialog.texts.edit("position", lang).property("missing")) for lang in ("en", "ru", "kk")] == \
        [True, False, True]
    assert "No English text yet" in dialog.texts.edit("position", "en").toolTip()
    assert dialog.warnings.isVisibleTo(dialog) and dialog.save_button.isEnabled()
    dialog.email.setText("ahmetova@")
    assert not dialog.save_button.isEnabled()
    assert dialog.email.property("invalid")
    assert "part after “@” is missing" in dialog.problems.text()
    dialog.email.setText("ahmetova@example.kz")
    assert dialog.save_button.isEnabled() and not dialog.email.property("invalid")
    dialog.texts.edit("position", "en").setText("Judge")
    dialog.texts.edit("position", "kk").setText("Судья")
    assert not any(dialog.texts.edit("position", lang).property("missing") for lang in ("en", "ru", "kk"))


def test_a_photo_is_set_shown_and_cleared(window: MainWindow, qtbot: QtBot, demo_db: Database,
                                          tmp_path: Path) -> None:
    page = people_page(window, qtbot)
    row = row_of(page, "Marta Dubois")
    select_rows(page, row)
    person_id = page.model.row_at(row).id
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"GIF89a pretending")
    good = tmp_path / "good.png"
    good.write_bytes(png(30, 40))

    page.edit_person_action.trigger()
    dialog = page.person_dialog
    assert dialog is not None and dialog.photo.value() is None
    assert not dialog.photo.load_file(bad)
    assert "PNG or JPEG" in dialog.problems.text()
    assert dialog.photo.load_file(good)
    assert dialog.problems.text() == ""
    assert not dialog.photo.preview.pixmap().isNull()
    assert dialog.photo.info.text().startswith("PNG · 30 × 40")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with demo_db.read() as session:
        assert load_person(session, person_id).photo == png(30, 40)

    page.edit_person_action.trigger()
    dialog = page.person_dialog
    assert dialog is not None and dialog.photo.value() == png(30, 40)
    assert not dialog.photo.preview.pixmap().isNull()
    qtbot.mouseClick(dialog.photo.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with demo_db.read() as session:
        assert load_person(session, person_id).photo is None
    window.undo_action.trigger()
    with demo_db.read() as session:
        assert load_person(session, person_id).photo == png(30, 40)


# -- deleting -------------------------------------------------------------------------------


def test_delete_asks_with_what_goes_and_undo_brings_them_back_with_registrations(
        window: MainWindow, qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    page = people_page(window, qtbot)
    ev = event_id(demo_db)
    row = row_of(page, "Pamela Harris")
    select_rows(page, row)
    person_id = page.model.row_at(row).id
    with demo_db.read() as session:
        impact = deletion_impact(session, person_id)
        codes_before = {r.code for r in registration_rows(session, ev)}
    assert len(impact.roles) == 2 and len(impact.registrations) == 1
    people, roles, regs = count(demo_db, Person), count(demo_db, Role), count(demo_db, Registration)

    said_no = Recorder(NO)
    monkeypatch.setattr(QMessageBox, "question", said_no)
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert len(said_no.calls) == 1
    assert count(demo_db, Person) == people  # nothing happened

    said_yes = Recorder(YES)
    monkeypatch.setattr(QMessageBox, "question", said_yes)
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    (call,) = said_yes.calls
    question = call[2]
    assert "Pamela Harris" in question and "2 roles and 1 registration" in question
    assert "Moderator in “Session 3." in question and "Speaker in “Opening of the round table”" in question
    assert "Registered for" in question and "Edit → Undo" in question
    assert (count(demo_db, Person), count(demo_db, Role), count(demo_db, Registration)) == \
        (people - 1, roles - 2, regs - 1)
    assert "Pamela Harris" not in {page.model.row_at(r).name for r in range(page.model.rowCount())}

    window.undo_action.trigger()
    assert (count(demo_db, Person), count(demo_db, Role), count(demo_db, Registration)) == (people, roles, regs)
    with demo_db.read() as session:
        assert {r.code for r in registration_rows(session, ev)} == codes_before
        assert deletion_impact(session, person_id) == impact
    assert page.model.row_at(page.view.currentIndex().row()).name == "Pamela Harris"
    window.redo_action.trigger()
    assert count(demo_db, Person) == people - 1


def test_a_person_deleted_meanwhile_by_another_desk_is_reported(window: MainWindow, qtbot: QtBot,
                                                                 demo_db: Database,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    page = people_page(window, qtbot)
    row = row_of(page, "Marta Dubois")
    select_rows(page, row)
    person_id = page.model.row_at(row).id
    monkeypatch.setattr(QMessageBox, "question", Recorder(YES))
    warning = Recorder()
    monkeypatch.setattr(QMessageBox, "warning", warning)
    original = page._push

    def push_after_someone_else_deleted(edit: Any) -> bool:
        from desktop.core.people import delete_person
        with demo_db.write() as session:
            delete_person(session, person_id)
        return original(edit)

    monkeypatch.setattr(page, "_push", push_after_someone_else_deleted)
    page.delete_person_action.trigger()
    (call,) = warning.calls
    assert call[1] == "Cannot save the change" and "no person" in call[2]
    assert window.undo_stack.count() == 0


# -- merging -----------------------------------------------------------------------------


def test_merge_two_records_and_undo(window: MainWindow, qtbot: QtBot, demo_db: Database) -> None:
    page = people_page(window, qtbot)
    ev = event_id(demo_db)
    first, second = row_of(page, "Yuri Fenopetov"), row_of(page, "Dmitry Malakhov")
    first_id, second_id = page.model.row_at(first).id, page.model.row_at(second).id
    select_rows(page, first, second)
    assert page.merge_action.isEnabled()
    with demo_db.read() as session:
        roles_of = {pid: session.scalar(select(func.count()).select_from(Role).where(Role.person_id == pid))
                    for pid in (first_id, second_id)}
    people, roles, regs = count(demo_db, Person), count(demo_db, Role), count(demo_db, Registration)

    page.merge_action.trigger()
    dialog = page.merge_dialog
    assert dialog is not None
    assert dialog.keep_id() == min(first_id, second_id)  # the same history: the older record by default
    other = dialog.keep_second_button if dialog.keep_first_button.isChecked() else dialog.keep_first_button
    other.click()  # keep the other one instead
    keep_id = dialog.keep_id()
    assert keep_id == max(first_id, second_id) and dialog.drop_id() == min(first_id, second_id)
    assert "Merge into “" in dialog.merge_button.text()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    assert count(demo_db, Person) == people - 1
    assert count(demo_db, Registration) == regs - 1  # both were registered for the event
    with demo_db.read() as session:
        kept_roles = session.scalar(select(func.count()).select_from(Role).where(Role.person_id == keep_id))
        assert {r.code for r in registration_rows(session, ev)}  # still readable
    duplicates = roles - count(demo_db, Role)
    assert kept_roles == roles_of[first_id] + roles_of[second_id] - duplicates
    assert page.model.row_at(page.view.currentIndex().row()).id == keep_id

    window.undo_action.trigger()
    assert (count(demo_db, Person), count(demo_db, Role), count(demo_db, Registration)) == (people, roles, regs)
    with demo_db.read() as session:
        for pid, n in roles_of.items():
            assert session.scalar(select(func.count()).select_from(Role).where(Role.person_id == pid)) == n


def test_merge_keeps_check_ins(window: MainWindow, qtbot: QtBot, demo_db: Database) -> None:
    page = people_page(window, qtbot)
    with demo_db.read() as session:
        checked = session.scalars(
            select(Registration.person_id).join(CheckIn, CheckIn.registration_id == Registration.id).limit(2)).all()
    rows = [next(i for i in range(page.model.rowCount()) if page.model.row_at(i).id == pid) for pid in checked]
    ins, regs = count(demo_db, CheckIn), count(demo_db, Registration)
    select_rows(page, *rows)
    page.merge_action.trigger()
    assert page.merge_dialog is not None
    page.merge_dialog.accept()
    assert count(demo_db, CheckIn) == ins
    assert count(demo_db, Registration) == regs - 1


# -- the speakers view -----------------------------------------------------------------------


def test_speakers_view_lists_roles_and_edits_the_person(window: MainWindow, qtbot: QtBot,
                                                        demo_db: Database) -> None:
    page = people_page(window, qtbot)
    qtbot.mouseClick(page.speakers_button, Qt.MouseButton.LeftButton)
    assert page.current_view() == SPEAKERS
    with demo_db.read() as session:
        expected = speakers(session, event_id(demo_db))
    model = page.speakers_model
    assert model.rowCount() == len(expected)
    assert [model.index(r, SpeakersModel.WHEN).data() for r in range(model.rowCount())] == \
        [row.times() for row in expected]
    where = {model.index(r, SpeakersModel.WHERE).data() for r in range(model.rowCount())}
    assert any(" › " in w for w in where)
    assert not page.delete_person_action.isVisible() and not page.merge_action.isVisible()
    page.speakers_view.setFocus()
    page.speakers_view.selectionModel().setCurrentIndex(
        model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    qtbot.keyClick(page.speakers_view, Qt.Key.Key_Return)
    dialog = page.person_dialog
    assert dialog is not None
    assert dialog.person_id == expected[0].person_id
    assert dialog.texts.value("display_name").get("en") == expected[0].name == "Yerzhan Zhienbayev"
    dialog.reject()


# -- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("wiśniewski", {"Paweł Wiśniewski"}),
    ("WISNIEWSKI", {"Paweł Wiśniewski"}),
    ("ахметов", {"Бауыржан Ахметов", "Серік Ахметов"}),
    ("ахметов бауыр", {"Бауыржан Ахметов"}),
])
def test_search_ignores_case_and_diacritics(window: MainWindow, qtbot: QtBot, typed: str,
                                            expected: set[str]) -> None:
    page = people_page(window, qtbot)
    total = page.model.rowCount()
    type_text(page.search, typed)
    names = {page.model.row_at(r).name for r in range(page.model.rowCount())}
    assert expected <= names
    terms = search_terms(typed)
    assert all(all(t in page.model.row_at(r).search_text for t in terms) for r in range(page.model.rowCount()))
    assert page.count_label.text().startswith(f"{len(names)} shown · {total} people")
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.model.rowCount() == total


def test_a_name_typed_on_the_other_layout_is_found_and_the_page_says_so(window: MainWindow, qtbot: QtBot,
                                                                        demo_db: Database) -> None:
    from sqlalchemy import insert

    from desktop.core.collation import store_sort_keys

    with demo_db.write() as session:
        aigerim = session.execute(insert(Person).values(given_name="Айгерим", family_name="Нурланова", position={})
                                  .returning(Person.id)).scalar_one()
        store_sort_keys(session, [aigerim])
    page = people_page(window, qtbot)
    assert not page.meant_label.text()
    type_text(page.search, "Fquthbv")  # "Айгерим" typed on the English layout
    assert aigerim in {r.id for r in page.model.rows()}
    assert page.meant_label.text() == "Also found as typed on the Russian layout: Айгерим"
    assert page.meant_label.isVisible()
    page.show_view(ORGANISATIONS)
    assert not page.meant_label.text()
    page.show_view(ROSTER)
    assert page.meant_label.text()
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert not page.meant_label.text()


# -- organisations -----------------------------------------------------------------------


def test_organisations_add_edit_delete_and_undo(window: MainWindow, qtbot: QtBot, demo_db: Database,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    page = people_page(window, qtbot)
    page.show_view(ORGANISATIONS)
    view = page.organisations_view
    view.setFocus()
    total = page.organisations_model.rowCount()
    assert total == count(demo_db, Organisation)

    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.organisation_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.texts.edit("name", "en"), "Constitutional Court")
    type_text(dialog.texts.edit("name", "kk"), "Конституциялық Сот")
    assert dialog.texts.edit("name", "ru").property("missing")
    dialog.sector.setCurrentIndex(dialog.sector.findData(Sector.JUDICIARY.value))
    dialog.country.set_code("KZ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page.organisations_model.rowCount() == total + 1
    selected = page.selected_organisation()
    assert selected is not None
    assert (selected.name, selected.sector, selected.country, selected.missing) == (
        "Constitutional Court", Sector.JUDICIARY, "KZ", ("ru",))

    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = page.organisation_dialog
    assert dialog is not None
    dialog.sector.setCurrentIndex(dialog.sector.findData(Sector.GOVERNMENT.value))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    selected = page.selected_organisation()
    assert selected is not None and selected.sector == Sector.GOVERNMENT
    window.undo_action.trigger()
    selected = page.selected_organisation()
    assert selected is not None and selected.sector == Sector.JUDICIARY

    # A name another organisation has is refused in the dialog.
    page.add_organisation_action.trigger()
    dialog = page.organisation_dialog
    assert dialog is not None
    dialog.texts.edit("name", "ru").setText("КОНСТИТУЦИЯЛЫҚ СОТ")
    assert not dialog.save_button.isEnabled() and "already the name" in dialog.problems.text()
    dialog.reject()

    question = Recorder(YES)
    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert page.organisations_model.rowCount() == total
    window.undo_action.trigger()
    assert page.organisations_model.rowCount() == total + 1


def test_deleting_an_organisation_with_people_detaches_them_after_asking(
        window: MainWindow, qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    page = people_page(window, qtbot)
    page.show_view(ORGANISATIONS)
    model = page.organisations_model
    row = next(r for r in range(model.rowCount())
               if model.row_at(r).name == "Astana City Court")
    page.organisations_view.selectRow(row)
    staff = model.row_at(row).people
    assert staff == 6
    question = Recorder(YES)
    monkeypatch.setattr(QMessageBox, "question", question)
    page.delete_organisation_action.trigger()
    assert "6 people work for Astana City Court" in question.calls[0][2]
    with demo_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Person).where(Person.organisation_id.is_(None))) >= 6
    window.undo_action.trigger()
    row = next(r for r in range(model.rowCount()) if model.row_at(r).name == "Astana City Court")
    assert model.row_at(row).people == 6


def test_an_organisation_an_event_names_is_not_deleted(window: MainWindow, qtbot: QtBot, demo_db: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    page = people_page(window, qtbot)
    page.show_view(ORGANISATIONS)
    model = page.organisations_model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).events)
    page.organisations_view.selectRow(row)
    info = Recorder()
    question = Recorder(YES)
    monkeypatch.setattr(QMessageBox, "information", info)
    monkeypatch.setattr(QMessageBox, "question", question)
    page.delete_organisation_action.trigger()
    (call,) = info.calls
    assert "cannot be deleted" in call[2] and "partner" in call[2]
    assert not question.calls
    assert model.rowCount() == count(demo_db, Organisation)


def test_the_page_works_alone_with_its_own_undo_stack(qtbot: QtBot, styled_app: Any, demo_db: Database) -> None:
    from desktop.core.events import event_detail

    page = PeoplePage()
    qtbot.addWidget(page)
    with demo_db.read() as session:
        detail = event_detail(session, event_id(demo_db))
    page.show_event(demo_db, detail, "ru")
    assert page.current_view() == ROSTER
    total = page.model.rowCount()
    page.view.selectRow(0)
    page.edit_person_action.trigger()
    dialog = page.person_dialog
    assert dialog is not None
    dialog.family_name.setText(dialog.family_name.text() + "-Test")
    dialog.accept()
    assert page.undo_stack.count() == 1
    assert page.model.rowCount() == total
    page.undo_stack.undo()
    assert not any(page.model.row_at(r).name.endswith("-Test") for r in range(total))


def test_an_undo_that_cannot_be_done_is_explained_and_leaves_the_stack(
        window: MainWindow, qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    page = people_page(window, qtbot)
    page.add_person_action.trigger()
    dialog = page.person_dialog
    assert dialog is not None
    dialog.family_name.setText("Nurlanova")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.undo_stack.count() == 1
    person_id = page.selected_people()[0]
    # Meanwhile the import (or a desk) registers her for the event.
    with demo_db.write() as session:
        session.add(Registration(event_id=event_id(demo_db), person_id=person_id, badge_code="ZZZZZ9"))
    warning = Recorder()
    monkeypatch.setattr(QMessageBox, "warning", warning)
    window.undo_action.trigger()
    (call,) = warning.calls
    assert call[1] == "Cannot undo “Add Nurlanova”"
    assert "registered since being added" in call[2] and "delete them from the People list" in call[2]
    assert window.undo_stack.count() == 0
    with demo_db.read() as session:
        assert session.get(Person, person_id) is not None


# -- empty views and the Translations column ------------------------------------------------------


def test_a_search_that_finds_nothing_says_so_in_every_view(window: MainWindow, qtbot: QtBot) -> None:
    page = people_page(window, qtbot)
    for view in (ROSTER, SPEAKERS, ORGANISATIONS):
        page.show_view(view)
        note = page.empty_notes[view]
        assert not note.isVisible()
        page.search.setText("zzqx  wvv")
        assert note.isVisible()
        assert note.text().startswith("No matches for “zzqx wvv”.") and "Esc" in note.text()
        assert note.geometry().intersects(page.views.currentWidget().viewport().rect())
        page.search.clear()
        assert not note.isVisible()


def test_an_empty_roster_says_what_to_do(qtbot: QtBot, styled_app: QApplication) -> None:
    page = PeoplePage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    page._filter(ROSTER)  # nothing read: an empty roster
    assert page.empty_notes[ROSTER].isVisible()
    assert page.empty_notes[ROSTER].text().startswith("The roster is empty.")
    assert "Add person" in page.empty_notes[ROSTER].text()


def test_the_translations_column_is_never_blank(window: MainWindow, qtbot: QtBot) -> None:
    page = people_page(window, qtbot)
    page.show_view(ORGANISATIONS)
    model = page.organisations_model
    column = model.TRANSLATIONS
    assert model.rowCount() > 0
    for row in range(model.rowCount()):
        shown = model.data(model.index(row, column))
        assert shown, model.row_at(row).name
        assert all(code.upper() in shown for code in model.row_at(row).names)
    complete = next(r for r in range(model.rowCount()) if not model.row_at(r).missing)
    assert model.data(model.index(complete, column)) == "EN, RU, KK"
    assert "English, Russian and Kazakh" in model.data(model.index(complete, column), Qt.ItemDataRole.ToolTipRole)
    lacking = replace(model.row_at(complete), names={"en": "Court"}, missing=("ru", "kk"))
    model.set_rows([lacking])
    assert model.data(model.index(0, column)) == "EN · missing RU, KK"
    assert "No name yet in Russian, Kazakh" in model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)


# -- a large roster ------------------------------------------------------------------------------


def test_switching_to_a_roster_of_20000_reads_a_window_not_everyone(window: MainWindow, qtbot: QtBot,
                                                                     demo_db: Database) -> None:
    from sqlalchemy import insert

    from desktop.core.collation import store_sort_keys

    with demo_db.write() as session:
        session.execute(insert(Person), [{"given_name": f"Given{i}", "family_name": f"Family{i:05d}",
                                          "position": {}} for i in range(20_000)])
        store_sort_keys(session)
    page = people_page(window, qtbot)
    total = count(demo_db, Person)
    assert total > 20_000
    assert page.model.rowCount() == total
    assert page.count_label.text() == f"{total:,} people in the roster"
    assert 0 < page.model.rows_read <= 1000  # a few windows of rows, not 20,000 PersonRows
    page.view.scrollToBottom()
    qtbot.wait(10)
    last = page.model.row_at(total - 1)
    assert last is not None and last.name == page.model.data(page.model.index(total - 1, 0))
    assert page.model.rows_read <= 2000
    assert page.model.in_background
    type_text(page.search, "family19999")
    # Searched once typing pauses, in the model's thread: the keystrokes left the list as it was.
    assert page.model.rowCount() == total and page.search_timer.isActive()
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        pass
    assert 0 < page.model.rowCount() < 2000  # (spelled alike: "family11119" too)
    assert page.count_label.text() == f"{page.model.rowCount():,} shown · {total:,} people in the roster"
    assert "Given19999 Family19999" in {row.name for row in page.model.rows()}
    assert page.model.rows_read <= 2000 + 11 * 100
    # Sorted by another column in the thread too; the selected person stays selected.
    row = row_of(page, "Given19999 Family19999")
    select_rows(page, row)
    page.view.horizontalHeader().setSortIndicator(PeopleModel.POSITION, Qt.SortOrder.DescendingOrder)
    assert page.model.busy
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        pass
    assert page.selected_people() == [page.model.row_at(row_of(page, "Given19999 Family19999")).id]
