"""Issue 3 end to end, as an organiser would do it in the window on an empty database: set up a
new event, build part of the demo's agenda through the dialogs (people added on the spot),
see a conflict arise and go, step back and forth with Ctrl+Z / Ctrl+Shift+Z, and print the
programme in English, Kazakh and English + Russian."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QModelIndex, QSettings, Qt, QTime, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database, open_database
from db.models import (
    AgendaItem,
    AgendaSession,
    Event,
    EventOrganisation,
    ItemKind,
    Organisation,
    PartnerRole,
    Person,
    Role,
    RoleKind,
    Room,
)
from desktop.ui.agenda.dialogs import ItemDialog, PersonPicker, SessionDialog
from desktop.ui.agenda.page import AgendaModel, AgendaPage
from desktop.ui.events.dialog import AddPartnerDialog, EventDialog
from desktop.ui.people.person_dialog import PersonDialog
from desktop.ui.printing.pdf_preview import PdfPreviewDialog
from desktop.ui.printing.programme_dialog import ProgrammeDialog
from desktop.ui.shell.main_window import AGENDA, MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

DAY = dt.date(2025, 2, 28)
EVENT_TITLE = {
    "en": "Improving the Effectiveness of the Justice System in Kazakhstan",
    "ru": "Повышение эффективности системы правосудия в Казахстане",
    "kk": "Қазақстандағы сот төрелігі жүйесінің тиімділігін арттыру",
}
VENUE = {"en": "Conference centre", "ru": "Конференц-центр", "kk": "Конференция орталығы"}
HALL = {"en": "Main hall", "ru": "Большой зал", "kk": "Үлкен зал"}
FOYER = {"en": "Foyer", "ru": "Фойе", "kk": "Фойе"}

REGISTRATION = {"en": "Registration of participants", "ru": "Регистрация участников",
                "kk": "Қатысушыларды тіркеу"}
OPENING = {"en": "Opening of the round table", "ru": "Открытие круглого стола", "kk": "Дөңгелек үстелдің ашылуы"}
SESSION = {"en": "Session 1. Modernising court administration", "ru": "Сессия 1. Модернизация судебного "
           "администрирования", "kk": "1-сессия. Сот әкімшілігін жаңғырту"}
TALK_1 = {"en": "Sociological surveys as the basis of judicial reform",
          "ru": "Социологические исследования как основа судебной реформы",
          "kk": "Әлеуметтік зерттеулер сот реформасының негізі ретінде"}
TALK_2 = {"en": "Judicial efficiency and human-resources policy", "ru": "Эффективность правосудия и кадровая политика",
          "kk": "Сот төрелігінің тиімділігі және кадр саясаты"}
COFFEE = {"en": "Coffee break", "ru": "Кофе-брейк", "kk": "Кофе-брейк"}

# (given, family, English name as printed, position in en/ru/kk)
ZHIENBAYEV = ("Ержан", "Жиенбаев", "Yerzhan Zhienbayev", None)
HARRIS = ("Pamela", "Harris", None, None)
MERGALIYEV = ("Асламбек", "Мергалиев", "Aslambek Mergaliyev", None)
FENOPETOV = ("Юрий", "Фенопетов", "Yuri Fenopetov",
             {"en": "Deputy Head", "ru": "Заместитель руководителя", "kk": "Басшының орынбасары"})
MALAKHOV = ("Дмитрий", "Малахов", "Dmitry Malakhov", None)


def printed_name(person: tuple[str, str, str | None, Any], lang: str) -> str:
    given, family, english, _position = person
    return english if lang == "en" and english else f"{given} {family}"


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "fresh.sqlite")
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def fresh_window(qtbot: QtBot, styled_app: QApplication, fresh_db: Database, settings: QSettings) -> MainWindow:
    win = MainWindow(fresh_db, settings)
    qtbot.addWidget(win)
    win.resize(1280, 820)
    win.show()
    qtbot.waitExposed(win)
    return win


def dump(database: Database) -> dict[str, Any]:
    """Every row the walkthrough touches, but when a row was written (a person the redo of
    "Add …" makes again is written anew, with the same id and UUID)."""
    with database.read() as s:
        return {name: [tuple(r) for r in s.execute(
            select(*(c for c in model.__table__.c if c.name not in ("created_at", "updated_at", "version")))
            .order_by(model.id))]
            for name, model in (("events", Event), ("rooms", Room), ("sessions", AgendaSession),
                                ("items", AgendaItem), ("roles", Role), ("people", Person))}


# -- steps an organiser takes ----------------------------------------------------------------------------


def set_texts(grid: Any, key: str, values: dict[str, str], qtbot: QtBot) -> None:
    """English typed key by key; Russian and Kazakh set (QTest types ASCII only)."""
    for lang, value in values.items():
        edit = grid.edit(key, lang)
        edit.clear()
        if lang == "en":
            qtbot.keyClicks(edit, value)
        else:
            edit.setText(value)


def set_time(edit: Any, value: str) -> None:
    edit.setTime(QTime.fromString(value, "HH:mm"))


def choose(combo: Any, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def add_new_person(qtbot: QtBot, dialog: SessionDialog | ItemDialog, person: tuple[str, str, str | None, Any],
                   role: RoleKind | None = None) -> None:
    """Add… → New person… in the picker → fill in the People dialog → Save: the person is
    in the roster and on the list of the item or session."""
    given, family, english, position = person
    qtbot.mouseClick(dialog.cast.add_button, Qt.MouseButton.LeftButton)
    picker = dialog.cast.picker
    assert isinstance(picker, PersonPicker) and picker.new_button.isVisible()
    qtbot.mouseClick(picker.new_button, Qt.MouseButton.LeftButton)
    person_dialog = picker.person_dialog
    assert isinstance(person_dialog, PersonDialog)
    person_dialog.given_name.setText(given)
    person_dialog.family_name.setText(family)
    if english:
        person_dialog.texts.edit("display_name", "en").setText(english)
    if position:
        for lang, value in position.items():
            person_dialog.texts.edit("position", lang).setText(value)
    assert person_dialog.save_button.isEnabled()
    qtbot.mouseClick(person_dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.cast.picker is None, "the picker closes with the new person chosen"
    _set_last_role(dialog, role)


def pick_person(qtbot: QtBot, dialog: SessionDialog | ItemDialog, search: str, role: RoleKind | None = None) -> None:
    """Add… → type in the picker → the first match → Add."""
    qtbot.mouseClick(dialog.cast.add_button, Qt.MouseButton.LeftButton)
    picker = dialog.cast.picker
    assert isinstance(picker, PersonPicker)
    qtbot.keyClicks(picker.search, search)
    qtbot.waitUntil(lambda: picker.people.topLevelItemCount() == 1, timeout=2000)
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    assert dialog.cast.picker is None
    _set_last_role(dialog, role)


def _set_last_role(dialog: SessionDialog | ItemDialog, role: RoleKind | None) -> None:
    if role is None:
        return
    row = dialog.cast.list.topLevelItemCount() - 1
    combo = dialog.cast.list.itemWidget(dialog.cast.list.topLevelItem(row), 2)
    combo.setCurrentIndex(combo.findData(role))


def save(qtbot: QtBot, page: AgendaPage, dialog: SessionDialog | ItemDialog) -> None:
    assert dialog.save_button.isEnabled(), dialog.problem.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page.dialog is None


def select_title(page: AgendaPage, title: str) -> QModelIndex:
    model = page.model
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        for index in (parent, *(model.index(r, 0, parent) for r in range(model.rowCount(parent)))):
            entry = model.entry(index)
            if entry is not None and entry.title.get("en") == title:
                page.view.setCurrentIndex(index)
                return index
    raise AssertionError(f"{title!r} is not on show")


def outline(page: AgendaPage) -> list[tuple[str, str]]:
    model = page.model
    rows = []
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        for index in (parent, *(model.index(r, 0, parent) for r in range(model.rowCount(parent)))):
            rows.append((index.siblingAtColumn(AgendaModel.TIME).data(),
                         index.siblingAtColumn(AgendaModel.TITLE).data()))
    return rows


def press(qtbot: QtBot, window: MainWindow, modifiers: Qt.KeyboardModifier) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.agenda_page.view.setFocus()
    qtbot.keyClick(window.agenda_page.view, Qt.Key.Key_Z, modifiers)


def undo_key(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.KeyboardModifier.ControlModifier)


def redo_key(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def set_up_event(qtbot: QtBot, window: MainWindow) -> None:
    """The empty page's New event… → the Event dialog filled in → Create event."""
    assert window.stack.currentWidget() is window.empty_page
    assert window.empty_page.new_event_button.isVisible()
    qtbot.mouseClick(window.empty_page.new_event_button, Qt.MouseButton.LeftButton)
    dialog = window.event_actions.dialog
    assert isinstance(dialog, EventDialog)
    qtbot.waitExposed(dialog)
    set_texts(dialog.texts, "title", EVENT_TITLE, qtbot)
    set_texts(dialog.texts, "venue", VENUE, qtbot)
    dialog.starts_on.setDate(QDate(2025, 2, 28))
    dialog.ends_on.setDate(QDate(2025, 2, 28))
    dialog.timezone.setEditText("Asia/Almaty")
    for box in dialog.language_boxes.values():
        box.setChecked(True)
    dialog.tabs.setCurrentIndex(1)
    for row, (name, capacity) in enumerate(((HALL, "150"), (FOYER, "80"))):
        qtbot.mouseClick(dialog.add_room_button, Qt.MouseButton.LeftButton)
        for column, lang in enumerate(("en", "ru", "kk")):
            dialog.rooms_model.setData(dialog.rooms_model.index(row, column), name[lang])
        dialog.rooms_model.setData(dialog.rooms_model.index(row, 3), capacity)
    dialog.tabs.setCurrentIndex(2)

    def fill_partner() -> None:  # the Add partner dialog runs modal: fill it in when it shows
        partner = QApplication.activeModalWidget()
        assert isinstance(partner, AddPartnerDialog)
        partner.picker.combo.setEditText("OSCE Programme Office")
        partner.role.setCurrentIndex(partner.role.findData("organiser"))
        partner.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill_partner)
    qtbot.mouseClick(dialog.add_partner_button, Qt.MouseButton.LeftButton)
    assert dialog.partners_model.rowCount() == 1
    assert dialog.ok_button.isEnabled(), dialog.problems.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def build_agenda(qtbot: QtBot, window: MainWindow, page: AgendaPage) -> None:
    # Registration, at 9:00 (the first thing of an empty day), in the foyer.
    dialog = page.new_item()
    assert isinstance(dialog, ItemDialog)
    assert dialog.starts.time().toString("HH:mm") == "09:00"
    dialog.kind.setCurrentIndex(dialog.kind.findData(ItemKind.REGISTRATION))
    set_texts(dialog.titles, "title", REGISTRATION, qtbot)
    set_time(dialog.ends, "09:30")
    choose(dialog.room, "Foyer")
    save(qtbot, page, dialog)

    # The opening follows the selected registration: it starts when registration ends.
    dialog = page.new_item()
    assert isinstance(dialog, ItemDialog)
    assert dialog.starts.time().toString("HH:mm") == "09:30"
    dialog.kind.setCurrentIndex(dialog.kind.findData(ItemKind.OPENING))
    set_texts(dialog.titles, "title", OPENING, qtbot)
    set_time(dialog.ends, "10:00")
    choose(dialog.room, "Main hall")
    add_new_person(qtbot, dialog, ZHIENBAYEV)
    add_new_person(qtbot, dialog, HARRIS)
    assert [m.name for m in dialog.cast.cast()] == ["Yerzhan Zhienbayev", "Pamela Harris"]
    save(qtbot, page, dialog)

    # The session, its moderator added on the spot.
    dialog = page.new_session()
    assert isinstance(dialog, SessionDialog)
    assert dialog.starts.time().toString("HH:mm") == "10:00"
    set_texts(dialog.titles, "title", SESSION, qtbot)
    set_time(dialog.ends, "11:15")
    choose(dialog.room, "Main hall")
    add_new_person(qtbot, dialog, MERGALIYEV)
    save(qtbot, page, dialog)
    assert page.current_key() is not None and page.current_key()[0] == "session"

    # Two presentations into it.
    for title, end, person in ((TALK_1, "10:20", FENOPETOV), (TALK_2, "10:40", MALAKHOV)):
        dialog = page.new_item()
        assert isinstance(dialog, ItemDialog)
        assert dialog.session.currentIndex() > 0, "a new item goes into the selected session"
        assert dialog.kind.currentData() == ItemKind.PRESENTATION
        set_texts(dialog.titles, "title", title, qtbot)
        set_time(dialog.ends, end)
        add_new_person(qtbot, dialog, person, RoleKind.SPEAKER)
        save(qtbot, page, dialog)

    # The coffee break, at top level after the session.
    page.view.setCurrentIndex(QModelIndex())
    dialog = page.new_item()
    assert isinstance(dialog, ItemDialog)
    assert dialog.session.currentData() is None
    assert dialog.starts.time().toString("HH:mm") == "11:15"
    dialog.kind.setCurrentIndex(dialog.kind.findData(ItemKind.BREAK))
    set_texts(dialog.titles, "title", COFFEE, qtbot)
    set_time(dialog.ends, "11:30")
    choose(dialog.room, "Foyer")
    save(qtbot, page, dialog)


def print_programme(qtbot: QtBot, window: MainWindow, lang: str, paper: str, into: Path,
                    monkeypatch: pytest.MonkeyPatch) -> Path:
    """File → Print Programme… → language and paper → Preview: the PDF the preview shows."""
    shown: list[Path] = []

    def fake_open(preview: PdfPreviewDialog) -> None:  # no window: keep a copy of what it shows
        copy = into / f"programme-{lang}-{paper}.pdf"
        shutil.copyfile(preview.path, copy)
        shown.append(copy)
        preview.reject()

    monkeypatch.setattr(PdfPreviewDialog, "open", fake_open)
    window.programme_actions.print_action.trigger()
    dialog = window.programme_actions.dialog
    assert isinstance(dialog, ProgrammeDialog)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData(lang))
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData(paper))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1
    return shown[0]


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def assert_in_order(text: str, needles: list[str]) -> None:
    at = 0
    for needle in needles:
        found = text.find(" ".join(needle.split()), at)
        assert found >= 0, f"{needle!r} missing after position {at} in {text[at:at + 300]!r}"
        at = found + len(needle)


# -- the walkthrough --------------------------------------------------------------------------------------


def test_an_organiser_sets_up_an_event_builds_its_agenda_and_prints_it(
        qtbot: QtBot, fresh_window: MainWindow, fresh_db: Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = fresh_window

    # 1. The event.
    set_up_event(qtbot, window)
    assert window.detail is not None
    assert window.detail.summary.title == EVENT_TITLE
    with fresh_db.read() as s:
        event = s.execute(select(Event)).scalar_one()
        assert (event.starts_on, event.ends_on, event.timezone) == (DAY, DAY, "Asia/Almaty")
        assert event.venue == VENUE
        assert [r.name for r in s.execute(select(Room).order_by(Room.id)).scalars()] == [HALL, FOYER]
        partners = s.execute(select(Organisation.name, EventOrganisation.role)
                             .join(EventOrganisation.organisation)).all()
        assert [(name["en"], role) for name, role in partners] == [("OSCE Programme Office", PartnerRole.ORGANISER)]

    # 2. The agenda, from nothing.
    window.show_section(AGENDA)
    page = window.agenda_page
    assert window.stack.currentWidget() is page
    assert page.days() == [DAY] and page.model.rowCount() == 0
    start = window.undo_stack.count()
    build_agenda(qtbot, window, page)
    assert outline(page) == [
        ("09:00–09:30", REGISTRATION["en"]), ("09:30–10:00", OPENING["en"]), ("10:00–11:15", SESSION["en"]),
        ("10:00–10:20", TALK_1["en"]), ("10:20–10:40", TALK_2["en"]), ("11:15–11:30", COFFEE["en"])]
    assert page.conflicts() == [] and page.conflicts_panel.conflicts() == []
    with fresh_db.read() as s:
        items = s.execute(select(AgendaItem).order_by(AgendaItem.starts_at, AgendaItem.id)).scalars().all()
        assert [i.title for i in items] == [REGISTRATION, OPENING, TALK_1, TALK_2, COFFEE]
        assert [(r.kind, r.person.given_name) for i in items for r in i.roles] == [
            (RoleKind.SPEAKER, "Ержан"), (RoleKind.SPEAKER, "Pamela"), (RoleKind.SPEAKER, "Юрий"),
            (RoleKind.SPEAKER, "Дмитрий")]
        session = s.execute(select(AgendaSession)).scalar_one()
        assert session.title == SESSION and [r.person.family_name for r in session.roles] == ["Мергалиев"]
        assert len(s.execute(select(Person)).scalars().all()) == 5
    # Six entries and five people added: eleven steps, each on the window's stack.
    assert window.undo_stack.count() - start == 11
    assert not window.isWindowModified()  # each step saved as it was made: nothing is unsaved

    # 3. A conflict as it arises: Fenopetov added to the opening, which now runs into his talk
    # (and into the session in the main hall).
    select_title(page, OPENING["en"])
    dialog = page.edit_selected()
    assert isinstance(dialog, ItemDialog)
    pick_person(qtbot, dialog, "Fenopetov")
    set_time(dialog.ends, "10:15")
    save(qtbot, page, dialog)
    messages = [c.message for c in page.conflicts()]
    assert any("Yuri Fenopetov" in m for m in messages), messages
    assert any("Main hall" in m for m in messages), messages
    assert [c.message for c in page.conflicts_panel.conflicts()] == messages
    opening = page.model.find(page.current_key(), AgendaModel.TITLE)  # type: ignore[arg-type]
    assert opening.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "Conflicts:" in opening.data(Qt.ItemDataRole.ToolTipRole)
    talk = select_title(page, TALK_1["en"]).siblingAtColumn(AgendaModel.TITLE)
    assert talk.data(Qt.ItemDataRole.DecorationRole) is not None
    with_conflict = dump(fresh_db)

    # ... and fixed: Fenopetov off the opening again, which ends at 10:00.
    select_title(page, OPENING["en"])
    dialog = page.edit_selected()
    assert isinstance(dialog, ItemDialog)
    fenopetov = next(i for i in range(dialog.cast.list.topLevelItemCount())
                     if dialog.cast.list.topLevelItem(i).text(0) == "Yuri Fenopetov")
    dialog.cast.list.setCurrentItem(dialog.cast.list.topLevelItem(fenopetov))
    qtbot.mouseClick(dialog.cast.remove_button, Qt.MouseButton.LeftButton)
    set_time(dialog.ends, "10:00")
    save(qtbot, page, dialog)
    assert page.conflicts() == [] and page.conflicts_panel.conflicts() == []
    assert page.model.find(page.current_key(), AgendaModel.TITLE).data(  # type: ignore[arg-type]
        Qt.ItemDataRole.DecorationRole) is None

    # 4. Ctrl+Z back through the fix, the clash, the coffee break, Malakhov's talk and Malakhov
    # himself; every step checked against the database as it was; then Ctrl+Shift+Z forward.
    fixed = dump(fresh_db)
    assert fixed != with_conflict
    states: list[dict[str, Any]] = []
    conflicts: list[int] = []
    shown: list[list[str]] = []
    for _ in range(5):
        undo_key(qtbot, window)
        states.append(dump(fresh_db))
        conflicts.append(len(page.conflicts_panel.conflicts()))
        shown.append([title for _, title in outline(page)])
    assert states[0] == with_conflict and conflicts[0] == len(messages), "the clash is back with its fix undone"
    assert states[1]["roles"] != with_conflict["roles"] and conflicts[1:] == [0, 0, 0, 0]
    assert len(states[2]["items"]) == 4 and COFFEE["en"] not in shown[2]
    assert len(states[3]["items"]) == 3 and TALK_2["en"] not in shown[3] and COFFEE["en"] not in shown[3]
    assert len(states[4]["people"]) == 4 and states[4]["items"] == states[3]["items"]
    with fresh_db.read() as s:
        assert s.scalar(select(Person.id).where(Person.family_name == "Малахов")) is None
    after = window.undo_stack.index()
    for expected in (states[3], states[2], states[1], states[0], fixed):
        redo_key(qtbot, window)
        assert dump(fresh_db) == expected
        assert bool(page.conflicts()) == (expected is with_conflict or expected == with_conflict)
    assert window.undo_stack.index() == after + 5
    assert not page.conflicts()
    assert outline(page)[-1] == ("11:15–11:30", COFFEE["en"])

    # 5. The programme, through File → Print Programme…, in three shapes.
    speakers = [ZHIENBAYEV, HARRIS, MERGALIYEV, FENOPETOV, MALAKHOV]
    for lang, paper in (("en", "a4"), ("kk", "a4"), ("en+ru", "letter")):
        pdf = print_programme(qtbot, window, lang, paper, tmp_path, monkeypatch)
        text = pdf_text(pdf)
        for part in lang.split("+"):
            assert EVENT_TITLE[part] in text
            assert_in_order(text, [
                REGISTRATION[part], OPENING[part], printed_name(ZHIENBAYEV, part), printed_name(HARRIS, part),
                SESSION[part], printed_name(MERGALIYEV, part), TALK_1[part], printed_name(FENOPETOV, part),
                FENOPETOV[3][part], TALK_2[part], printed_name(MALAKHOV, part), COFFEE[part]])
            for person in speakers:
                assert printed_name(person, part) in text
        assert "OSCE Programme Office" in text


def test_the_empty_page_offers_a_new_event(qtbot: QtBot, fresh_window: MainWindow) -> None:
    page = fresh_window.empty_page
    assert page.new_event_button.isVisible() and "New event" in page.new_event_button.text()
    qtbot.mouseClick(page.new_event_button, Qt.MouseButton.LeftButton)
    dialog = fresh_window.event_actions.dialog
    assert isinstance(dialog, EventDialog) and dialog.event_id is None
    dialog.reject()
    assert fresh_window.undo_stack.count() == 0


def test_a_person_added_from_the_picker_is_one_undo_step(
        qtbot: QtBot, window: MainWindow, demo_db: Database) -> None:
    page = window.agenda_page
    select_title(page, "Coffee break")
    dialog = page.edit_selected()
    assert isinstance(dialog, ItemDialog)
    add_new_person(qtbot, dialog, ("Aigerim", "Bekova", None, {"en": "Judge"}), RoleKind.SPEAKER)
    assert [m.name for m in dialog.cast.cast()][-1] == "Aigerim Bekova"
    assert window.undo_stack.count() == 1 and "Aigerim Bekova" in window.undo_stack.text(0)
    dialog.reject()  # the item is left as it was; the person stays in the roster
    with demo_db.read() as s:
        assert s.scalar(select(Person.id).where(Person.family_name == "Bekova")) is not None
    window.undo_stack.undo()
    with demo_db.read() as s:
        assert s.scalar(select(Person.id).where(Person.family_name == "Bekova")) is None
