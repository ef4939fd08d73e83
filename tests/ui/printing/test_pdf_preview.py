"""The PDF preview: pages shown lazily, zoom, Save (a copy), Print (a page range)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from desktop.core import formats
from desktop.ui.printing.pdf_preview import FOLDER, GEOMETRY, PdfError, PdfPreviewDialog


def make_pdf(path: Path, pages: int, size: tuple[float, float] = (595.28, 841.89)) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=size)
    for i in range(pages):
        c.setFont("Helvetica-Bold", 48)
        c.drawString(72, size[1] - 144, f"Page {i + 1}")
        c.rect(36, 36, size[0] - 72, size[1] - 72)
        c.showPage()
    c.save()
    return path


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "sample.pdf", 5)


@pytest.fixture
def dialog(qtbot: QtBot, styled_app: QApplication, sample: Path, settings: QSettings) -> PdfPreviewDialog:
    dlg = PdfPreviewDialog(sample, title="Programme", suggested_name="programme", settings=settings)
    qtbot.addWidget(dlg)
    dlg.resize(700, 600)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_shows_every_page_and_counts_them(dialog: PdfPreviewDialog) -> None:
    assert dialog.page_count == 5
    assert dialog.page_label.text() == "Page 1 of 5"
    # Five A4 pages stacked: the canvas is taller than four pages at the current zoom.
    one = dialog.canvas.page_pixel_size(0)
    assert dialog.canvas.height() > 5 * one.height()
    dialog.go_to_page(3)
    assert dialog.current_page == 3
    assert dialog.page_label.text() == "Page 3 of 5"


def test_renders_only_what_is_visible(qtbot: QtBot, styled_app: QApplication, tmp_path: Path,
                                      settings: QSettings) -> None:
    pdf = make_pdf(tmp_path / "long.pdf", 200)
    dlg = PdfPreviewDialog(pdf, title="Long", suggested_name="long", settings=settings)
    qtbot.addWidget(dlg)
    dlg.resize(700, 600)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.grab()
    assert dlg.page_count == 200
    assert 1 <= dlg.canvas.renders <= 4
    dlg.go_to_page(150)
    dlg.grab()
    assert dlg.current_page == 150
    assert dlg.canvas.renders <= 8


def test_page_pixels_match_the_pdf(dialog: PdfPreviewDialog) -> None:
    dialog.grab()
    image = dialog.canvas.image(0)
    # A4 at the shown zoom, times the screen density.
    expected = dialog.canvas.page_pixel_size(0) * image.devicePixelRatio()
    assert abs(image.width() - expected.width()) <= 2
    assert abs(image.height() - expected.height()) <= 2
    # The page is white with black ink somewhere (the heading).
    assert image.pixelColor(5, 5).name() == "#ffffff"
    assert any(image.pixelColor(x, image.height() // 2).lightness() < 160 for x in range(image.width()))


def test_zoom_in_out_and_fit_width(qtbot: QtBot, dialog: PdfPreviewDialog) -> None:
    fitted = dialog.canvas.page_pixel_size(0).width()
    assert fitted <= dialog.scroll_area.viewport().width()
    qtbot.keyClick(dialog, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    larger = dialog.canvas.page_pixel_size(0).width()
    assert larger > fitted * 1.2
    assert dialog.zoom_label.text() == formats.percent(dialog.canvas.zoom)
    qtbot.keyClick(dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert dialog.canvas.page_pixel_size(0).width() < fitted
    qtbot.keyClick(dialog, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert abs(dialog.canvas.page_pixel_size(0).width() - fitted) <= 2
    # Fit width follows the window.
    dialog.resize(900, 600)
    qtbot.wait(10)
    assert dialog.canvas.page_pixel_size(0).width() > fitted


def test_zoom_is_bounded(dialog: PdfPreviewDialog) -> None:
    for _ in range(30):
        dialog.zoom_in()
    assert dialog.canvas.zoom == pytest.approx(4.0)
    assert not dialog.zoom_in_button.isEnabled()
    for _ in range(30):
        dialog.zoom_out()
    assert dialog.canvas.zoom == pytest.approx(0.25)
    assert not dialog.zoom_out_button.isEnabled()


def test_save_copies_the_file_and_remembers_the_folder(
    dialog: PdfPreviewDialog, sample: Path, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch,
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    offered: list[str] = []

    def fake_save(parent, caption, directory, filter_):  # type: ignore[no-untyped-def]
        offered.append(directory)
        return str(out_dir / "my programme"), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    saved: list[str] = []
    dialog.saved.connect(saved.append)
    dialog.save_button.click()
    target = out_dir / "my programme.pdf"
    assert offered and offered[0].endswith("programme.pdf")
    assert target.read_bytes() == sample.read_bytes()
    assert saved == [str(target)]
    assert settings.value(FOLDER) == str(out_dir)
    # The next save starts in that folder.
    dialog.save_button.click()
    assert offered[1] == str(out_dir / "programme.pdf")


def test_save_cancelled_writes_nothing(dialog: PdfPreviewDialog, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    before = sorted(tmp_path.rglob("*.pdf"))
    dialog.save_button.click()
    assert sorted(tmp_path.rglob("*.pdf")) == before


def test_print_honours_the_page_range(dialog: PdfPreviewDialog, tmp_path: Path) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    printed: list[int] = []
    dialog.printed.connect(printed.append)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(150)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 4)
    assert dialog.pages_to_print(printer) == [1, 2, 3]
    assert dialog.print_to(printer) == 3
    assert printed == [3]
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 3


def test_print_all_pages(dialog: PdfPreviewDialog, tmp_path: Path) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "all.pdf"))
    printer.setResolution(100)
    assert dialog.pages_to_print(printer) == [0, 1, 2, 3, 4]
    assert dialog.print_to(printer) == 5
    assert len(PdfReader(tmp_path / "all.pdf").pages) == 5


def test_size_is_remembered(qtbot: QtBot, dialog: PdfPreviewDialog, sample: Path, settings: QSettings) -> None:
    dialog.resize(640, 480)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert settings.value(GEOMETRY) is not None
    again = PdfPreviewDialog(sample, title="Again", suggested_name="x", settings=settings)
    qtbot.addWidget(again)
    assert again.size().width() == 640
    assert again.size().height() == 480


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path: Path, styled_app: QApplication, settings: QSettings) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    with pytest.raises(PdfError, match="cannot be opened as a PDF"):
        PdfPreviewDialog(bad, title="Bad", suggested_name="bad", settings=settings)


# -- File → Print Programme… and Export Calendar… ---------------------------------------------

# The offscreen platform's note when a dialog opens on the main window; not a fault of ours.
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_print_programme_opens_the_preview(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.printing.programme_dialog import LANG_KEY, ProgrammeDialog

    actions = window.programme_actions
    assert actions.print_action.isEnabled() and actions.calendar_action.isEnabled()
    assert actions.print_action.shortcut().toString() == "Ctrl+P"
    actions.print_action.trigger()
    dialog = actions.dialog
    assert isinstance(dialog, ProgrammeDialog)
    assert dialog.lang == window.event_bar.language
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("kk+ru"))
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData("letter"))
    dialog.preview_button.click()
    preview = dialog.preview
    assert preview is not None and preview.isVisible()
    assert preview.page_count == dialog.last_result.pages >= 1
    assert preview.page_label.text() == f"Page 1 of {preview.page_count}"
    assert preview.canvas._sizes[0] == pytest.approx((612, 792))
    folder = dialog.last_pdf.parent
    assert folder.is_dir()
    assert window.settings.value(LANG_KEY) == "kk+ru"
    preview.close()
    qtbot.waitUntil(lambda: not folder.exists())  # the temporary PDF goes with the preview


def test_export_calendar_from_the_menu(qtbot: QtBot, window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "agenda"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    window.programme_actions.calendar_action.trigger()
    written = tmp_path / "agenda.ics"
    assert written.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert window.file_notice.path == written and "Calendar with" in window.file_notice.message
