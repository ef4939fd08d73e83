"""Desk mode (desktop/ui/desk/page.py) driven as a desk worker would: scan or type, Enter, read
the big state; matches by name on the wrong layout; undo; focus stays in the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import CheckIn, Registration, Status
from desktop.core import desk as core_desk
from desktop.core.checkin import check_ins_of, participation
from desktop.ui.desk.page import DESK_NAME_KEY, DeskPage
from desktop.ui.shell.main_window import DESK, MainWindow

# The offscreen platform says so whenever a dialog is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def page(window: MainWindow, settings: QSettings, qtbot: QtBot) -> DeskPage:
    settings.setValue(DESK_NAME_KEY, "Entrance A")
    window.show_section(DESK)
    desk_page = window.desk_page
    window.activateWindow()
    qtbot.waitUntil(lambda: desk_page.search.hasFocus())
    return desk_page


def _free(database: Database, status: Status = Status.CONFIRMED) -> tuple[int, str]:
    with database.read() as s:
        rows = s.execute(select(Registration.id, Registration.badge_code).where(Registration.status == status)
                         .order_by(Registration.id)).all()
        arrived = check_ins_of(s, [r[0] for r in rows])
    return next((rid, code) for rid, code in rows if rid not in arrived)


def settle(qtbot: QtBot, page: DeskPage) -> None:
    """Until the desk's worker has answered everything asked of it (the check-ins, undo and
    walk-ins run off the GUI thread; their verdicts come by a signal) and the matches shown
    are those of the text typed."""
    qtbot.waitUntil(page.settled, timeout=10000)


def _scan(qtbot: QtBot, page: DeskPage, text: str) -> None:
    """What a keyboard-wedge scanner does: types the code and Enter, fast; then until the
    verdict is on screen."""
    qtbot.keyClicks(page.search, text)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    settle(qtbot, page)


def _in_rows(database: Database, rid: int) -> list[tuple[str, str]]:
    with database.read() as s:
        return [(a.value, d) for a, d in s.execute(select(CheckIn.action, CheckIn.desk)
                                                   .where(CheckIn.registration_id == rid).order_by(CheckIn.id))]


def test_scan_checks_in_then_already(page: DeskPage, demo_db: Database, qtbot: QtBot) -> None:
    rid, code = _free(demo_db)
    with demo_db.read() as s:
        before = participation(s, page._detail.summary.id).checked_in  # type: ignore[union-attr]
    _scan(qtbot, page, code.lower())
    assert page.state_panel.state == "checked_in"
    assert page.state_panel.headline.text() == "CHECKED IN"
    assert _in_rows(demo_db, rid) == [("in", "Entrance A")]  # on disk when the screen says so
    assert page.search.text() == "" and page.search.hasFocus()
    assert page.in_card.figure.text().startswith(f"{before + 1} / ")
    assert page.recent_model.rows()[0].id == rid
    assert page.undo_button.isEnabled() and page.reprint_button.isEnabled()

    _scan(qtbot, page, code)
    assert page.state_panel.state == "already_checked_in"
    assert page.state_panel.headline.text() == "ALREADY CHECKED IN"
    assert "at desk Entrance A" in page.state_panel.detail.text()
    assert _in_rows(demo_db, rid) == [("in", "Entrance A")]


def test_unknown_code_is_not_registered(page: DeskPage, demo_db: Database, qtbot: QtBot) -> None:
    _scan(qtbot, page, "ZZZZZZ")
    assert page.state_panel.state == "not_registered"
    assert page.state_panel.headline.text() == "NOT REGISTERED"
    assert page.search.hasFocus() and page.search.selectedText() == "ZZZZZZ"  # the next scan replaces it


def test_cancelled_is_red_and_not_checked_in(page: DeskPage, demo_db: Database, qtbot: QtBot) -> None:
    rid, code = _free(demo_db, Status.CANCELLED)
    _scan(qtbot, page, code)
    assert page.state_panel.state == "cancelled" and _in_rows(demo_db, rid) == []


def test_name_on_the_wrong_layout_lists_and_enter_checks_in(page: DeskPage, demo_db: Database, qtbot: QtBot,
                                                            qtmodeltester: ModelTester) -> None:
    qtbot.keyClicks(page.search, "bdfyjdf")  # "иванова" typed with the Latin layout on
    qtbot.waitUntil(lambda: page.matches_model.rowCount() > 0, timeout=3000)
    qtmodeltester.check(page.matches_model)
    rows = page.matches_model.rows()
    assert all("Иванова" in row.name for row in rows) and page.matches_view.isVisible()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    chosen = rows[min(1, len(rows) - 1)]
    assert page.matches_view.currentIndex().row() == min(1, len(rows) - 1)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    settle(qtbot, page)
    expected = "already_checked_in" if chosen.checked_in_at is not None else "checked_in"
    assert page.state_panel.state == expected and page.state_panel.name.text() == chosen.name
    assert not page.matches_view.isVisible() and page.search.hasFocus()


def test_enter_before_the_list_caught_up(page: DeskPage, demo_db: Database, qtbot: QtBot) -> None:
    qtbot.keyClicks(page.search, "zhienbayev")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # before the 100 ms debounce ran
    settle(qtbot, page)
    assert page.state_panel.name.text() == "Yerzhan Zhienbayev"
    assert page.state_panel.state in ("checked_in", "already_checked_in")


def test_undo_last_check_in(page: DeskPage, demo_db: Database, qtbot: QtBot) -> None:
    rid, code = _free(demo_db)
    _scan(qtbot, page, code)
    assert "Ctrl+Shift+Backspace" in page.undo_button.text()
    assert "not on the Edit" in page.undo_button.toolTip()
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, page)
    assert page.state_panel.state == "undone"
    assert _in_rows(demo_db, rid) == [("in", "Entrance A"), ("undo", "Entrance A")]
    assert page.window().undo_stack.count() == 0  # not an edit on the window's stack
    assert page.search.hasFocus()
    _scan(qtbot, page, code)
    assert page.state_panel.state == "checked_in"


def test_focus_returns_to_the_field(page: DeskPage, qtbot: QtBot) -> None:
    page.recent_view.setFocus()  # e.g. a click somewhere on the page
    qtbot.waitUntil(lambda: page.search.hasFocus())
    qtbot.mouseClick(page.walk_in_button, Qt.MouseButton.LeftButton)
    dialog = page.walk_in_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    dialog.reject()
    qtbot.waitUntil(lambda: page.search.hasFocus())


def test_walk_in_registers_and_checks_in(page: DeskPage, demo_db: Database, qtbot: QtBot) -> None:
    qtbot.keyClick(page.search, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = page.walk_in_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    dialog.given.setText("Dana")
    dialog.family.setText("Walkerova")
    dialog.organisation.setText("Supreme Court of the Republic of Kazakhstan")
    dialog.print_badge.setChecked(False)
    dialog.ok_button.click()
    settle(qtbot, page)
    assert page.state_panel.state == "checked_in" and page.state_panel.name.text() == "Dana Walkerova"
    with demo_db.read() as s:
        source = s.execute(select(Registration.source_desk).join(Registration.person)
                           .where(Registration.person.has(family_name="Walkerova"))).scalar_one()
    assert source == "Entrance A"


def test_walk_in_needs_a_name(page: DeskPage, qtbot: QtBot) -> None:
    page.walk_in_button.click()
    dialog = page.walk_in_dialog
    dialog.ok_button.click()
    assert dialog.isVisible() and "name" in dialog.problem.text()
    dialog.reject()


def test_reprint_opens_the_badge_preview(page: DeskPage, demo_db: Database, qtbot: QtBot,
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    printed: list[tuple[list[int], str]] = []

    def fake_export(database: Database, path: object, event_id: int, *, registration_ids: list[int],
                    layout: str, lang: str = "en") -> None:
        from reportlab.pdfgen.canvas import Canvas

        printed.append((registration_ids, layout))
        canvas = Canvas(str(path))
        canvas.drawString(100, 700, "badge")
        canvas.save()

    import desktop.exports.badges as badges

    monkeypatch.setattr(badges, "export_badges", fake_export)
    rid, code = _free(demo_db)
    _scan(qtbot, page, code)
    qtbot.keyClick(page.search, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, page)
    assert printed == [([rid], "a6")]
    dialog = page.preview_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    assert page.state_panel.name.text() in dialog.windowTitle()
    dialog.reject()
    qtbot.waitUntil(lambda: page.search.hasFocus())


def test_desk_name_is_asked_once(window: MainWindow, settings: QSettings, qtbot: QtBot) -> None:
    window.show_section(DESK)
    page = window.desk_page
    assert page.name_notice.isVisible() and page.desk_name() == core_desk.default_desk_name()
    page.keep_name_button.click()
    assert not page.name_notice.isVisible()
    assert settings.value(DESK_NAME_KEY) == core_desk.default_desk_name()
    page.set_desk_name("  Side   door ")
    assert page.desk_label.text() == "Desk: Side door"


def test_other_desks_check_ins_show_up(page: DeskPage, demo_db: Database, qtbot: QtBot,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.desk import check_in

    shown = page.in_card.figure.text()
    rid, code = _free(demo_db)
    check_in(demo_db, page._detail.summary.id, code, "Desk elsewhere")  # type: ignore[union-attr]
    page._refresh_timer.setInterval(50)
    qtbot.waitUntil(lambda: page.in_card.figure.text() != shown, timeout=3000)
    assert page.recent_model.rows()[0].desk == "Desk elsewhere"


def test_f11_toggles_full_screen(page: DeskPage, qtbot: QtBot) -> None:
    window = page.window()
    qtbot.keyClick(page.search, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: window.isFullScreen())
    qtbot.keyClick(page.search, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert page.search.hasFocus() or QApplication.focusWidget() is None


# -- the last verdict goes once the user moves on ------------------------------------------------


def test_typing_a_new_name_clears_the_last_verdict(page: DeskPage, qtbot: QtBot) -> None:
    _scan(qtbot, page, "ZZZZZZ")
    assert page.state_panel.state == "not_registered"
    qtbot.keyClicks(page.search, "Ber")  # replaces the selected code: someone else now
    assert page.state_panel.state == "idle" and page.state_panel.headline.text() == "Ready"
    assert "NOT REGISTERED" not in page.state_panel.accessibleName()
    assert "ZZZZZZ" not in page.state_panel.detail.text()


def test_escape_clears_the_verdict_and_names_the_last_person(page: DeskPage, demo_db: Database,
                                                             qtbot: QtBot) -> None:
    _rid, code = _free(demo_db)
    _scan(qtbot, page, code)
    assert page.state_panel.state == "checked_in"
    name = page.state_panel.name.text()
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.state_panel.state == "idle" and not page.state_panel.name.isVisible()
    assert f"Last: {name} — checked in." in page.state_panel.detail.text()
    assert page.reprint_button.isEnabled()  # Reprint badge still means them, as the panel says
    assert page.search.hasFocus()


# -- walk-in: names as the region writes them ----------------------------------------------------


def test_walk_in_asks_the_family_name_first_and_keeps_the_patronymic(page: DeskPage, demo_db: Database,
                                                                    qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QFormLayout, QLabel

    page.search.setText("Сарсенбаева Алия Нурлановна")  # typed (QTest types Latin letters only)
    qtbot.mouseClick(page.walk_in_button, Qt.MouseButton.LeftButton)
    dialog = page.walk_in_dialog
    qtbot.waitUntil(dialog.isVisible)
    form = dialog.findChild(QFormLayout)
    captions = []
    for row in range(3):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
        assert isinstance(label, QLabel)
        captions.append(label.text())
    assert captions == ["&Family name:", "&Given name:", "&Patronymic:"]
    assert (dialog.family.text(), dialog.given.text(), dialog.patronymic.text()) == (
        "Сарсенбаева", "Алия", "Нурлановна")
    dialog.print_badge.setChecked(False)
    dialog.ok_button.click()
    settle(qtbot, page)
    assert page.state_panel.state == "checked_in"
    with demo_db.read() as s:
        from db.models import Person

        person = s.execute(select(Person).where(Person.family_name == "Сарсенбаева")).scalar_one()
        assert (person.given_name, person.patronymic) == ("Алия", "Нурлановна")
