"""The Event menu and dialog: create, edit with undo, duplicate, delete with confirmation,
rooms and partners with logos; the dialog's item models."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, func, select

from db.engine import Database
from db.models import AgendaItem, CheckIn, Event, Organisation, PartnerRole, Registration
from desktop.core.checks import ImageError
from desktop.core.event_edit import PartnerSpec, RoomSpec, load_settings
from desktop.core.organisations import OrganisationData
from desktop.ui.events.dialog import (
    DuplicateEventDialog,
    EventDialog,
    PartnersModel,
    PartnerState,
    RoomsModel,
    RoomState,
    read_logo,
    svg_to_png,
)
from desktop.ui.shell.main_window import MainWindow
from tests.images import png

# Offscreen, a dialog opened on the window asks for something the platform cannot do.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
       b'<circle cx="100" cy="50" r="40" fill="#2f5d9b"/></svg>')


class Answer:
    """A stand-in for QMessageBox.question: records the text, gives a fixed answer."""

    def __init__(self, answer: QMessageBox.StandardButton) -> None:
        self.answer = answer
        self.texts: list[str] = []

    def __call__(self, _parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.texts.append(text)
        return self.answer


def _chooser_texts(window: MainWindow) -> list[str]:
    chooser = window.event_bar.chooser
    return [chooser.itemText(i) for i in range(chooser.count())]


def _events(database: Database) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count()).select_from(Event)) or 0)


def _open_dialog(qtbot: QtBot, window: MainWindow, action: Any) -> Any:
    action.trigger()
    dialog = window.event_actions.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


# -- the item models ------------------------------------------------------------------------------


def test_rooms_model_passes_the_model_tester(qapp: Any, qtmodeltester: Any) -> None:
    model = RoomsModel([RoomState(RoomSpec({"en": "Hall A", "ru": "Зал А"}, 120), 2, 5),
                        RoomState(RoomSpec({"en": "Foyer"}))])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 4)) == "2 sessions, 5 items"
    assert model.data(model.index(1, 1), Qt.ItemDataRole.ToolTipRole).startswith("No Russian name yet")
    assert model.setData(model.index(1, 3), "1 200")
    assert model.specs()[1].capacity == 1200
    assert not model.setData(model.index(1, 3), "many")
    assert model.setData(model.index(1, 3), "")
    assert model.specs()[1].capacity is None
    model.add({"kk": "Зал"})
    assert model.move(2, -1) == 1
    assert [text for text in (model.specs()[i].name for i in range(3))] == [
        {"en": "Hall A", "ru": "Зал А"}, {"kk": "Зал"}, {"en": "Foyer"}]
    qtmodeltester.check(model)


def test_partners_model_passes_the_model_tester_and_groups_by_role(qapp: Any, qtmodeltester: Any) -> None:
    a, b, c = (uuid_mod.uuid4() for _ in range(3))
    model = PartnersModel([PartnerState(PartnerSpec(a, PartnerRole.FUNDER), "Funder A", None),
                           PartnerState(PartnerSpec(b, PartnerRole.ORGANISER), "Organiser B", png(20, 10)),
                           PartnerState(PartnerSpec(c, PartnerRole.FUNDER), "Funder C", None)])
    qtmodeltester.check(model)
    assert [p.label for p in model.partners()] == ["Organiser B", "Funder A", "Funder C"]
    assert model.data(model.index(0, 2)) == "PNG · 20 × 10"
    assert not model.can_move(1, -1)  # not above the organisers
    assert model.move(1, 1) == 2
    assert model.setData(model.index(2, 1), PartnerRole.ORGANISER.value)  # Funder A becomes an organiser
    assert [(p.label, p.spec.role) for p in model.partners()] == [
        ("Organiser B", PartnerRole.ORGANISER), ("Funder A", PartnerRole.ORGANISER), ("Funder C", PartnerRole.FUNDER)]
    qtmodeltester.check(model)


# -- logos -------------------------------------------------------------------------------------------


def test_partners_show_the_logo_in_the_logo_column_and_names_from_the_left(qapp: Any) -> None:
    """No blank thumbnail before a name without a logo: the logo, if any, is in its own column."""
    a, b = uuid_mod.uuid4(), uuid_mod.uuid4()
    model = PartnersModel([PartnerState(PartnerSpec(a, PartnerRole.ORGANISER), "With a logo", png(20, 10)),
                           PartnerState(PartnerSpec(b, PartnerRole.FUNDER), "Without", None)])
    decoration = Qt.ItemDataRole.DecorationRole
    assert [model.data(model.index(r, PartnersModel.ORGANISATION), decoration) for r in range(2)] == [None, None]
    assert isinstance(model.data(model.index(0, PartnersModel.LOGO), decoration), QIcon)
    assert model.data(model.index(1, PartnersModel.LOGO), decoration) is None
    assert model.data(model.index(1, PartnersModel.LOGO)) == "No logo"


def test_svg_logo_is_rasterised_to_a_transparent_png(qapp: Any, tmp_path: Path) -> None:
    data = svg_to_png(SVG)
    image = QImage.fromData(data)
    assert data.startswith(b"\x89PNG")
    assert (image.width(), image.height()) == (800, 400)
    assert image.pixelColor(2, 2).alpha() == 0          # a transparent ground
    assert image.pixelColor(400, 200).alpha() == 255    # the drawing
    path = tmp_path / "logo.svg"
    path.write_bytes(SVG)
    assert read_logo(path)[1] == "image/png"
    bad = tmp_path / "logo.gif"
    bad.write_bytes(b"GIF89a" + b"\0" * 20)
    with pytest.raises(ImageError, match="PNG or JPEG"):
        read_logo(bad)
    broken = tmp_path / "broken.svg"
    broken.write_bytes(b"<svg this is not")
    with pytest.raises(ImageError, match="cannot be read"):
        read_logo(broken)


# -- create, edit, duplicate, delete through the window -------------------------------------------------


def test_create_an_event_through_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    assert window.detail is not None
    shown_before = window.detail.summary.id
    dialog: EventDialog = _open_dialog(qtbot, window, window.event_actions.new_action)
    assert not dialog.ok_button.isEnabled()  # no title yet
    assert "needs a title" in dialog.problems.text()
    qtbot.keyClicks(dialog.texts.edit("title", "en"), "Judicial Forum 2026")
    assert dialog.ok_button.isEnabled()
    assert dialog.texts.edit("title", "ru").property("missing")  # flagged, not blocking
    dialog.starts_on.setDate(QDate(2026, 5, 12))
    dialog.ends_on.setDate(QDate(2026, 5, 13))
    dialog.timezone.setEditText("Asia/Almaty")
    qtbot.mouseClick(dialog.add_room_button, Qt.MouseButton.LeftButton)
    dialog.rooms_model.setData(dialog.rooms_model.index(0, 0), "Plenary hall")
    dialog.rooms_model.setData(dialog.rooms_model.index(0, 3), "300")
    dialog.add_new_organisation(OrganisationData(
        name={"en": "Forum Secretariat"}), PartnerRole.ORGANISER)
    dialog.set_logo_for_row(0, svg_to_png(SVG), "image/png")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert window.detail is not None
    assert window.detail.summary.title == {"en": "Judicial Forum 2026"}
    assert window.statusBar().currentMessage() == "Created “Judicial Forum 2026”."
    assert any("Judicial Forum 2026" in t and "12–13 May 2026" in t for t in _chooser_texts(window))
    assert window.event_bar.current_event().title == {"en": "Judicial Forum 2026"}  # type: ignore[union-attr]
    assert window.event_bar.logo_names() == ["Organiser: Forum Secretariat"]
    assert [name for _, name, _ in window.detail.rooms] == [{"en": "Plenary hall"}]

    window.undo_stack.undo()  # Ctrl+Z: the event and the organisation made for it are gone
    assert not any("Judicial Forum" in t for t in _chooser_texts(window))
    assert window.detail.summary.id == shown_before  # the event on show before
    with window.database.read() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)
                        .where(Organisation.name["en"].as_string() == "Forum Secretariat")) == 0
    window.undo_stack.redo()
    assert window.detail.summary.title == {"en": "Judicial Forum 2026"}
    assert window.event_bar.logo_names() == ["Organiser: Forum Secretariat"]


def test_edit_a_title_and_undo_it(qtbot: QtBot, window: MainWindow) -> None:
    assert window.detail is not None
    old_title = window.detail.summary.title
    dialog: EventDialog = _open_dialog(qtbot, window, window.event_actions.edit_action)
    title = dialog.texts.edit("title", "en")
    title.selectAll()
    qtbot.keyClicks(title, "Round table on justice")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.detail.summary.title["en"] == "Round table on justice"
    assert "Round table on justice" in window.event_bar.chooser.currentText()
    assert window.statusBar().currentMessage() == "Saved “Round table on justice”."
    assert not window.isWindowModified()  # saved as made: the title has no unsaved mark
    assert "Edit event" in window.undo_action.text()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.detail.summary.title == old_title
    assert "Round table on justice" not in window.event_bar.chooser.currentText()
    window.undo_stack.redo()
    assert window.detail.summary.title["en"] == "Round table on justice"


def test_cancel_changes_nothing(qtbot: QtBot, window: MainWindow) -> None:
    dialog: EventDialog = _open_dialog(qtbot, window, window.event_actions.edit_action)
    dialog.texts.edit("title", "en").setText("Something else")
    dialog.reject()
    assert window.undo_stack.count() == 0
    assert window.detail is not None and window.detail.summary.title["en"] != "Something else"


def test_dialog_validation_marks_the_fields(qtbot: QtBot, window: MainWindow) -> None:
    dialog: EventDialog = _open_dialog(qtbot, window, window.event_actions.edit_action)
    dialog.timezone.setEditText("Atlantis/Capital")
    assert not dialog.ok_button.isEnabled()
    assert dialog.timezone.property("invalid")
    assert "is not a time zone" in dialog.problems.text()
    dialog.timezone.setEditText("Asia/Almaty")
    assert dialog.ok_button.isEnabled()
    dialog.rooms_model.setData(dialog.rooms_model.index(1, 0), "MAIN HALL")
    assert "same name" in dialog.problems.text() and "⚠" in dialog.tabs.tabText(1)
    dialog.rooms_model.setData(dialog.rooms_model.index(1, 0), "Foyer")
    dialog.ends_on.setDate(dialog.starts_on.date().addDays(-1))
    assert "before the start date" in dialog.problems.text()
    dialog.starts_on.setDate(dialog.starts_on.date().addDays(2))  # the end follows the start
    assert dialog.ends_on.date() == dialog.starts_on.date()
    dialog.ends_on.setDate(dialog.starts_on.date().addDays(2))
    dialog.starts_on.setDate(dialog.starts_on.date().addDays(7))  # and keeps the length
    assert dialog.starts_on.date().daysTo(dialog.ends_on.date()) == 2
    assert dialog.days_label.text() == "3 days"
    assert "fall outside these dates" in dialog.warnings.text()
    dialog.reject()


def test_removing_a_room_in_use_asks_first(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog: EventDialog = _open_dialog(qtbot, window, window.event_actions.edit_action)
    dialog.tabs.setCurrentIndex(1)
    dialog.rooms_view.selectRow(0)
    refuse = Answer(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", refuse)
    qtbot.mouseClick(dialog.remove_room_button, Qt.MouseButton.LeftButton)
    assert dialog.rooms_model.rowCount() == 3
    assert "3 sessions, 11 items take place in “Main hall”" in refuse.texts[0]
    monkeypatch.setattr(QMessageBox, "question", Answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(dialog.remove_room_button, Qt.MouseButton.LeftButton)
    assert dialog.rooms_model.rowCount() == 2
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    with window.database.read() as s:
        assert s.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.room_id.is_(None))) == 11
    window.undo_stack.undo()
    with window.database.read() as s:
        assert s.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.room_id.is_(None))) == 0
    assert window.detail is not None and len(window.detail.rooms) == 3


def test_partner_logo_from_the_dialog_shows_in_the_event_bar(qtbot: QtBot, window: MainWindow) -> None:
    assert window.event_bar.logo_names() == []
    dialog: EventDialog = _open_dialog(qtbot, window, window.event_actions.edit_action)
    dialog.tabs.setCurrentIndex(2)
    dialog.partners_view.selectRow(1)
    dialog.set_logo_for_row(1, png(40, 20), "image/png")
    assert dialog.clear_logo_button.isEnabled()
    name = dialog.partners_model.partner(1).label
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.event_bar.logo_names() == [f"Co-organiser: {name}"]
    assert window.event_bar.logos.isVisible()
    window.undo_stack.undo()
    assert window.event_bar.logo_names() == []


def test_duplicate_the_event(qtbot: QtBot, window: MainWindow) -> None:
    assert window.detail is not None
    source_id = window.detail.summary.id
    dialog: DuplicateEventDialog = _open_dialog(qtbot, window, window.event_actions.duplicate_action)
    assert dialog.starts_on() == dt.date(2026, 2, 28)  # a year later by default
    dialog.start.setDate(QDate(2026, 3, 2))
    assert "every time moves 367 days later" in dialog.summary.text()
    dialog.accept()
    assert window.detail.summary.id != source_id
    assert window.statusBar().currentMessage().endswith("to start on 2 March 2026.")
    assert window.detail.summary.starts_on == dt.date(2026, 3, 2)
    assert window.detail.summary.registrations == 0
    assert len(_chooser_texts(window)) == 2
    with window.database.read() as s:
        days = {d.date() for d in s.scalars(select(AgendaItem.starts_at)
                                             .where(AgendaItem.event_id == window.detail.summary.id))}
        assert days == {dt.date(2026, 3, 2)}
    window.undo_stack.undo()
    assert len(_chooser_texts(window)) == 1
    assert window.detail.summary.id == source_id
    window.undo_stack.redo()
    assert len(_chooser_texts(window)) == 2 and window.detail.summary.starts_on == dt.date(2026, 3, 2)


def test_delete_asks_with_the_counts_and_undo_restores(qtbot: QtBot, window: MainWindow,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    database = window.database
    with database.read() as s:
        registrations = int(s.scalar(select(func.count()).select_from(Registration)) or 0)
        before = load_settings(s, window.detail.summary.id)  # type: ignore[union-attr]
    cancel = Answer(QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QMessageBox, "question", cancel)
    window.event_actions.delete_action.trigger()
    assert _events(database) == 1
    assert f"{registrations} registrations" in cancel.texts[0] and "24 check-ins" in cancel.texts[0]

    monkeypatch.setattr(QMessageBox, "question", Answer(QMessageBox.StandardButton.Yes))
    window.event_actions.delete_action.trigger()
    assert _events(database) == 0
    assert window.statusBar().currentMessage().endswith("(Ctrl+Z brings it back).")
    assert window.detail is None
    assert window.stack.currentWidget() is window.empty_page
    assert not window.event_actions.edit_action.isEnabled()
    assert window.event_actions.new_action.isEnabled()

    window.undo_stack.undo()
    assert _events(database) == 1
    assert window.detail is not None and window.detail.summary.registrations == registrations
    with database.read() as s:
        assert load_settings(s, window.detail.summary.id) == before
    assert window.event_actions.edit_action.isEnabled()


def test_delete_shows_the_first_event_left_and_undo_the_deleted_one(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.detail is not None
    source_id = window.detail.summary.id
    dialog: DuplicateEventDialog = _open_dialog(qtbot, window, window.event_actions.duplicate_action)
    dialog.accept()
    copy_id = window.detail.summary.id
    assert copy_id != source_id
    window.event_bar.chooser.setCurrentIndex(1 - window.event_bar.chooser.currentIndex())
    assert window.detail.summary.id == source_id  # the source on show, the copy the other one
    monkeypatch.setattr(QMessageBox, "question", Answer(QMessageBox.StandardButton.Yes))
    window.event_actions.delete_action.trigger()
    assert window.detail is not None and window.detail.summary.id == copy_id  # the one left
    assert len(_chooser_texts(window)) == 1
    window.undo_stack.undo()
    assert window.detail.summary.id == source_id  # back, and on show as before
    assert len(_chooser_texts(window)) == 2
    window.undo_stack.redo()
    assert window.detail.summary.id == copy_id and len(_chooser_texts(window)) == 1


def test_an_edit_the_database_refuses_is_told_and_not_on_the_stack(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *_a: warnings.append(f"{title}: {text}"))
    dialog: EventDialog = _open_dialog(qtbot, window, window.event_actions.edit_action)
    with window.database.write() as s:  # another desk deletes the event meanwhile
        s.execute(delete(CheckIn))
        s.execute(delete(Event))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert warnings == ["Cannot save the change: That event no longer exists."]
    assert window.undo_stack.count() == 0


def test_event_menu_shortcuts(window: MainWindow) -> None:
    actions = window.event_actions
    assert actions.new_action.shortcut().toString() == "Ctrl+Alt+N"
    assert actions.edit_action.shortcut().toString() == "Ctrl+Shift+E"
    assert [a.text() for a in window.menuBar().actions()][:4] == ["&File", "&Edit", "E&vent", "&View"]
