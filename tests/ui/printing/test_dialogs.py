"""File → Print: the dialog builds the PDF (progress, cancel) and opens the preview; the
menu follows the event; one badge is reprinted for the desk."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database, open_database
from db.models import Registration
from desktop.core.events import list_events
from desktop.exports.print_common import PrintCancelled
from desktop.ui.printing import dialogs as print_dialogs
from desktop.ui.printing.dialogs import (
    BADGES,
    CERTIFICATES,
    CHECKED_IN,
    EVERYONE,
    NAME_CARDS,
    SELECTED,
    SIGN_IN,
    PrintDialog,
    print_badge_for,
)
from desktop.ui.printing.pdf_preview import PdfPreviewDialog
from desktop.ui.shell.main_window import REGISTRATIONS, MainWindow

# Showing a dialog on the offscreen platform warns about size hints it cannot pass on.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def event_id_of(database: Database) -> int:
    with database.read() as session:
        (event,) = list_events(session)
    return event.id


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The previews opened: instead of waiting for the user, note what they show."""
    shown: list[dict[str, Any]] = []

    def fake_exec(self: PdfPreviewDialog) -> int:
        shown.append({"path": self.path, "exists": self.path.is_file(), "pages": self.page_count,
                      "title": self.windowTitle(), "data": self.path.read_bytes()})
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    return shown


def make_dialog(qtbot: QtBot, database: Database, settings: QSettings, kind: str = BADGES,
                selected: list[int] | None = None) -> PrintDialog:
    dialog = PrintDialog(database, event_id_of(database), kind, lang="en", selected_ids=selected or [],
                         settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_badges_are_built_and_previewed(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                        settings: QSettings, previews: list[dict[str, Any]]) -> None:
    dialog = make_dialog(qtbot, demo_db, settings)
    assert dialog.count_label.text() == "118 badges"
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("a4-10"))
    with qtbot.waitSignal(dialog.built, timeout=30000) as signal:
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=10000)
    shown = previews[0]
    assert shown["exists"] and shown["pages"] == 12 and shown["data"].startswith(b"%PDF-")
    assert shown["title"].startswith("Badges — Improving the Effectiveness")
    assert signal.args[1:] == [118, 12]
    # The temporary folder went with the preview; the layout is remembered.
    assert not shown["path"].exists() and not shown["path"].parent.exists()
    assert settings.value(print_dialogs.LAYOUT_KEY) == "a4-10"


def test_the_bleed_is_offered_for_the_sheets_and_passed_on(qtbot: QtBot, styled_app: QApplication,
                                                           demo_db: Database, settings: QSettings,
                                                           previews: list[dict[str, Any]],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.exports.badges as badges

    dialog = make_dialog(qtbot, demo_db, settings)
    form = dialog._form
    for layout, offered in (("a4-8", True), ("a6", False), ("id1", False), ("a4-10", True)):
        dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData(layout))
        assert form.isRowVisible(dialog.bleed_check) is offered, layout
    dialog.set_kind(SIGN_IN)
    assert not form.isRowVisible(dialog.bleed_check)
    dialog.set_kind(BADGES)
    assert form.isRowVisible(dialog.bleed_check)
    asked = []
    real = badges.export_badges
    monkeypatch.setattr(badges, "export_badges", lambda *a, **kw: asked.append(kw["bleed"]) or real(*a, **kw))
    dialog.bleed_check.setChecked(True)
    with qtbot.waitSignal(dialog.built, timeout=30000):
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert asked == [True] and settings.value(print_dialogs.BLEED_KEY) in (True, "true")


def test_each_kind_shows_its_options(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                     settings: QSettings) -> None:
    dialog = make_dialog(qtbot, demo_db, settings)
    form = dialog._form
    assert form.isRowVisible(dialog.layout_combo) and not form.isRowVisible(dialog.by_sector_check)
    dialog.set_kind(SIGN_IN)
    assert not form.isRowVisible(dialog.layout_combo) and form.isRowVisible(dialog.by_sector_check)
    assert dialog.who() == EVERYONE and dialog.count_label.text() == "118 people"
    dialog.set_kind(CERTIFICATES)
    assert dialog.who() == CHECKED_IN and dialog.count_label.text() == "24 certificates"
    dialog.set_who(EVERYONE)
    assert dialog.count_label.text() == "118 certificates"
    dialog.set_kind(NAME_CARDS)
    assert dialog.who_combo.findData(SELECTED) == -1  # nothing was selected
    assert dialog.windowTitle() == "Print name cards"


def test_sign_in_sheet_of_those_checked_in(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                          settings: QSettings, previews: list[dict[str, Any]]) -> None:
    dialog = make_dialog(qtbot, demo_db, settings, SIGN_IN)
    assert dialog.who() == EVERYONE  # before the event: everyone, to sign
    assert "sign-in sheet" in dialog.suggested_name()
    dialog.set_who(CHECKED_IN)
    assert dialog.count_label.text() == "24 people"
    with qtbot.waitSignal(dialog.built, timeout=30000) as signal:
        dialog.build()
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=10000)
    assert signal.args[1] == 24
    # After the event: the donor's list of participants, with the arrivals.
    from io import BytesIO

    from pypdf import PdfReader

    assert "list of participants" in previews[0]["path"].name
    first = PdfReader(BytesIO(previews[0]["data"])).pages[0].extract_text()
    assert "LIST OF PARTICIPANTS" in first and "Arrival" in first and "Signature" not in first


def test_certificates_in_russian_for_those_checked_in(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                      settings: QSettings, previews: list[dict[str, Any]]) -> None:
    dialog = make_dialog(qtbot, demo_db, settings, CERTIFICATES)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ru"))
    with qtbot.waitSignal(dialog.built, timeout=30000) as signal:
        dialog.build()
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=10000)
    assert signal.args[1:] == [24, 24] and previews[0]["pages"] == 24
    assert "сертификаты" in previews[0]["path"].name


def test_the_selected_registrations_only(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                         settings: QSettings, previews: list[dict[str, Any]]) -> None:
    with demo_db.read() as s:
        ids = list(s.scalars(select(Registration.id).order_by(Registration.id).limit(3)))
    dialog = make_dialog(qtbot, demo_db, settings, SIGN_IN, selected=ids)
    dialog.set_who(SELECTED)
    assert dialog.count_label.text() == "3 people" and dialog.registration_ids() == ids
    with qtbot.waitSignal(dialog.built, timeout=30000) as signal:
        dialog.build()
    assert signal.args[1:] == [3, 1]


def test_cancelling_shows_no_preview_and_leaves_no_file(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                        settings: QSettings, previews: list[dict[str, Any]],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folders: list[Path] = []

    def slow_build(database: Database, path: Path, event_id: int, kind: str, **options: Any) -> Any:
        folders.append(path.parent)
        path.write_bytes(b"partial")
        progress = options["progress"]
        n = 0
        while progress(n, 1000) is not False:
            n = min(n + 1, 999)
            time.sleep(0.005)
        raise PrintCancelled()

    monkeypatch.setattr(print_dialogs, "build_pdf", slow_build)
    dialog = make_dialog(qtbot, demo_db, settings)
    dialog.build()
    qtbot.waitUntil(lambda: dialog.progress_dialog is not None and dialog.progress_dialog.value() > 0, timeout=10000)
    progress = dialog.progress_dialog
    progress.show()
    qtbot.waitExposed(progress)
    cancel = progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_building(), timeout=10000)
    assert previews == [] and dialog.isVisible() and dialog.preview_button.isEnabled()
    assert folders and not folders[0].exists()


def test_print_menu_follows_the_event(qtbot: QtBot, window: MainWindow, tmp_path: Path, settings: QSettings,
                                      previews: list[dict[str, Any]]) -> None:
    menu = window.print_menu
    assert menu.isEnabled()
    assert [a.text() for a in menu.actions()] == ["&Badges…", "&Name Cards…", "&Sign-in Sheet…", "&Certificates…",
                                                  "", "Participation &Report…"]  # "": the separator
    assert all(a.isEnabled() for a in menu.actions())
    # With rows selected in Registrations, the dialog offers just those.
    window.show_section(REGISTRATIONS)
    page = window.registrations_page
    page.view.selectRow(0)
    dialog = menu.open_dialog(BADGES)
    assert dialog is not None and dialog.who_combo.findData(SELECTED) >= 0
    dialog.set_who(SELECTED)
    assert dialog.count_label.text() == "1 badge"
    dialog.reject()
    # A database with no event: nothing to print.
    empty = MainWindow(open_database(tmp_path / "empty.sqlite"), settings)
    qtbot.addWidget(empty)
    assert not empty.print_menu.isEnabled() and not any(a.isEnabled() for a in empty.print_menu.actions())
    empty.database.close()


def test_one_badge_is_reprinted(qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings,
                                previews: list[dict[str, Any]]) -> None:
    from desktop.exports.print_common import load_attendees
    from tests.exports.pdf_tools import qr_codes

    event_id = event_id_of(demo_db)
    with demo_db.read() as s:
        person = load_attendees(s, event_id, "en")[5]
    preview = print_badge_for(None, demo_db, event_id, person.registration_id, settings=settings)
    assert preview is not None and len(previews) == 1
    assert previews[0]["pages"] == 1 and previews[0]["title"] == f"Badge — {person.name}"
    pdf = Path(settings.fileName()).parent / "badge.pdf"
    pdf.write_bytes(previews[0]["data"])
    assert qr_codes(pdf) == [[person.code]]
    assert not previews[0]["path"].exists()
