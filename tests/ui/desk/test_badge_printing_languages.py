"""The desk's badge printer in Russian and Kazakh (and English, for the pictures): the header's
button, its menu and the "already printed — print again?" question speak the interface
language, and the question is whole at 1280×800. Pictures in /tmp/desk-badge-<lang>-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from db.engine import Database
from db.models import Status
from desktop.core.events import event_detail, list_events
from desktop.core.language import interface_language, set_interface_language
from desktop.ui.desk.badge_printer import DeskPrinting
from desktop.ui.desk.page import DESK_NAME_KEY, DeskPage
from tests.ui.desk.test_badge_printing import PdfPrinters
from tests.ui.desk.test_languages import _free, english_in, texts_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise|grabbing)")

SHOTS = Path("/tmp")


@pytest.fixture(params=["en", "ru", "kk"])
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    before = interface_language()
    set_interface_language(request.param)
    try:
        yield request.param
    finally:
        set_interface_language(before)


@pytest.fixture
def page(lang: str, styled_app: QApplication, demo_db: Database, settings: QSettings, qtbot: QtBot,
         tmp_path: Path) -> DeskPage:
    settings.setValue(DESK_NAME_KEY, "Entrance A")
    made = DeskPage(settings=settings)
    qtbot.addWidget(made)
    with demo_db.read() as session:
        detail = event_detail(session, list_events(session)[0].id)
    made.printer_factory = PdfPrinters(tmp_path)
    made.resize(1280, 800)
    made.show()
    qtbot.waitExposed(made)
    made.show_event(demo_db, detail, lang)
    return made


def test_the_badge_printer_speaks_the_interface_language(page: DeskPage, lang: str, demo_db: Database,
                                                         qtbot: QtBot) -> None:
    assert page.printer_button.isVisible()
    page.grab().save(str(SHOTS / f"desk-badge-{lang}-off.png"))
    page.set_printing(DeskPrinting(True, "Zebra ZD421", "a6"))
    code = _free(demo_db, Status.CONFIRMED)
    with qtbot.waitSignal(page.print_signals.printed, timeout=20000):
        qtbot.keyClicks(page.search, code)
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    with qtbot.waitSignal(page.print_signals.already, timeout=20000):
        qtbot.keyClicks(page.search, code)
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.print_question.isVisible()
    label = page.print_question_label
    assert label.heightForWidth(label.width()) <= label.height(), label.text()
    for button in (page.print_again_button, page.no_print_button):
        assert button.width() >= button.sizeHint().width(), button.text()
    page.grab().save(str(SHOTS / f"desk-badge-{lang}-question.png"))
    page.printer_menu.aboutToShow.emit()
    menu_texts = [a.text() for a in page.printer_menu.actions() if a.text()]
    if lang != "en":
        texts = [*texts_of(page.print_question), page.printer_button.text(), page.printer_button.toolTip(),
                 page.print_status.text(), *menu_texts]
        assert english_in(texts, lang) == []
        assert "Print again" not in page.print_again_button.text()
