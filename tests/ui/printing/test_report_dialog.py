"""File → Print → Participation Report…: the menu's action opens the dialog, which builds the
report in the background (progress, cancel) and opens the preview."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.exports.print_common import PrintCancelled
from desktop.ui.printing.pdf_preview import PdfPreviewDialog
from desktop.ui.printing.report_dialog import ReportDialog
from desktop.ui.shell.main_window import MainWindow
from tests.exports.pdf_tools import page_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The previews opened: instead of waiting for the user, note what they show."""
    shown: list[dict[str, Any]] = []

    def fake_exec(self: PdfPreviewDialog) -> int:
        shown.append({"path": self.path, "pages": self.page_count, "title": self.windowTitle(),
                      "data": self.path.read_bytes()})
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    return shown


def test_the_menu_action_builds_the_report_and_previews_it(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                           previews: list[dict[str, Any]]) -> None:
    menu = window.print_menu
    action = menu.report_action
    assert action.isEnabled() and action.text() == "Participation &Report…"
    action.trigger()
    dialog = window.findChild(ReportDialog)
    assert isinstance(dialog, ReportDialog) and dialog.isVisible()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ru"))
    with qtbot.waitSignal(dialog.built, timeout=20000) as built:
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=10000)
    shown = previews[0]
    assert built.args[1] == 120 and shown["pages"] == built.args[2] >= 2
    assert shown["title"].startswith("Participation report — ")
    pdf = tmp_path / "shown.pdf"
    pdf.write_bytes(shown["data"])
    first = page_texts(pdf)[0]
    assert "ОТЧЁТ ОБ УЧАСТИИ" in first  # the report's language, not the window's
    assert not shown["path"].exists()  # the temporary folder went with the preview
    assert "participation report" in window.statusBar().currentMessage()
    assert window.settings.value("print/report_lang") == "ru"


def test_cancelling_leaves_no_file_and_no_preview(qtbot: QtBot, window: MainWindow, previews: list[dict[str, Any]],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.exports.report as report

    folders: list[Path] = []

    def slow(database: Any, path: Path, event_id: int, **options: Any) -> Any:
        folders.append(path.parent)
        path.write_bytes(b"partial")
        n = 0
        while options["progress"](n, 1000) is not False:
            n = min(n + 1, 999)
            time.sleep(0.005)
        raise PrintCancelled()

    monkeypatch.setattr(report, "export_report", slow)
    dialog = window.print_menu.open_report_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.build()
    qtbot.waitUntil(lambda: dialog.progress_dialog is not None and dialog.progress_dialog.value() > 0, timeout=10000)
    progress = dialog.progress_dialog
    progress.show()
    qtbot.waitExposed(progress)
    cancel = progress.findChild(QPushButton)
    assert cancel is not None
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_building(), timeout=10000)
    assert previews == [] and dialog.isVisible() and dialog.preview_button.isEnabled()
    assert folders and not folders[0].exists()
    dialog.reject()


def test_the_dialog_in_kazakh(qtbot: QtBot, window: MainWindow, settings: QSettings) -> None:
    from desktop.core.language import speaking

    with speaking("kk"):
        dialog = ReportDialog(window.database, window.detail.summary.id, lang="kk", settings=settings)  # type: ignore[union-attr]
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() != "Print Participation Report"
        assert dialog.preview_button.text() != "Preview…"
        assert "қатысу" in dialog.suggested_name().lower()
