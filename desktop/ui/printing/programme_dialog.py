"""File → Print Programme… and File → Export Calendar (.ics)….

Print Programme asks for the language (one, or two side by side) and the paper, builds the
PDF with ``desktop.exports.programme.export_programme`` — the same call as
``conference-desk export-program`` — into a temporary folder, and shows it in
``PdfPreviewDialog`` (Save…, Print…). Export Calendar asks for a file name and writes it
with ``desktop.exports.ical.export_ical`` (``conference-desk export-ical``).

The menu actions are in ``desktop.ui.printing.programme_actions``, which loads this module when one
is first triggered.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from desktop.core.errors import error_sentence
from desktop.core.i18n import text
from desktop.core.language import N_, _, words
from desktop.ui.shell.fields import language_heading

# Settings keys.
LANG_KEY = "programme/lang"
PAPER_KEY = "programme/paper"
ICS_FOLDER = "programme/ics_folder"

PAPERS = ((N_("A4 (210 × 297 mm)"), "a4"), (N_("Letter (8.5 × 11 in)"), "letter"))
# The progress dialog shows only for a build that takes longer than this.
PROGRESS_DELAY_MS = 500


def language_caption(code: str) -> str:
    """"English", or "English + Russian" for two side by side, in the interface language."""
    return " + ".join(language_heading(part) for part in code.split("+"))


def default_paper() -> str:
    """Letter where the locale measures in inches (the United States and a few others)."""
    return "letter" if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "a4"


def safe_file_name(name: str, fallback: str = "programme") -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name)
    return " ".join(name.split()).strip(" .")[:120] or fallback


class ProgrammeDialog(QDialog):
    """Choose the programme's language(s) and paper; Preview builds it and opens the preview.

    The first choice is the window's content language; the last choice made is remembered.
    """

    def __init__(self, database: Any, event_id: int, lang: str = "en", parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        from desktop.core.events import resolve_event
        from desktop.exports.programme import language_choices

        super().__init__(parent)
        self._database = database
        self._settings = settings if settings is not None else QSettings()
        with database.read() as session:
            self._event = resolve_event(session, event_id)
        self.last_pdf: Path | None = None
        self.last_result: Any = None
        self.preview: Any = None
        self.progress: QProgressDialog | None = None

        self.setWindowTitle(_("Print Programme"))
        heading = QLabel(text(self._event.title, lang) or _("Untitled event"))
        heading.setWordWrap(True)
        heading.setObjectName("pageSubtitle")

        self.language_combo = QComboBox()
        for code in language_choices():
            self.language_combo.addItem(language_caption(code), code)
        remembered = str(self._settings.value(LANG_KEY) or "")
        start = remembered if self.language_combo.findData(remembered) >= 0 else lang
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(start)))
        self.language_combo.setToolTip(_("One language, or two side by side (each row shows both)"))
        self.paper_combo = QComboBox()
        for caption, code in PAPERS:
            self.paper_combo.addItem(_(caption), code)
        paper = str(self._settings.value(PAPER_KEY) or default_paper())
        self.paper_combo.setCurrentIndex(max(0, self.paper_combo.findData(paper)))

        form = QFormLayout()
        form.addRow(_("&Language"), self.language_combo)
        form.addRow(_("&Paper"), self.paper_combo)
        hint = QLabel(_("A text missing in the chosen language is printed in another one, never left blank."))
        hint.setWordWrap(True)
        hint.setObjectName("pageSubtitle")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.preview_button = self.buttons.addButton(_("Pre&view…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.preview_button.setDefault(True)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    @property
    def lang(self) -> str:
        return str(self.language_combo.currentData())

    @property
    def paper(self) -> str:
        return str(self.paper_combo.currentData())

    def build(self, folder: Path) -> Path | None:
        """Write the programme into ``folder``; returns the PDF, or None after telling the user
        (or when the user cancelled: no file then).

        A build that takes longer than ``PROGRESS_DELAY_MS`` shows a progress dialog with
        Cancel (``self.progress`` while it runs)."""
        from desktop.core.events import EventNotFound
        from desktop.exports.attendees import ExportError
        from desktop.exports.programme import BuildCancelled, export_programme

        first = self.lang.split("+")[0]
        title = safe_file_name(text(self._event.title, first))
        word = words(first).p_("file name", "programme")
        path = folder / f"{title} — {word} ({self.lang}).pdf"
        # Translators: {languages} is "English" or "English + Russian" (two side by side).
        progress = QProgressDialog(_("Setting the programme in {languages}…").format(
            languages=language_caption(self.lang)), _("Cancel"), 0, 100, self)
        progress.setWindowTitle(_("Print Programme"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        # Shown by ``report`` once the build has taken PROGRESS_DELAY_MS, not by Qt's guess
        # of the time left (which shows it for builds of a quarter of a second).
        progress.setMinimumDuration(24 * 3600 * 1000)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.progress = progress
        started = time.monotonic()

        def report(done: int, total: int) -> bool:
            if not progress.isVisible() and (time.monotonic() - started) * 1000 >= PROGRESS_DELAY_MS:
                progress.show()
            progress.setMaximum(total)
            progress.setValue(min(done, total - 1))  # at the maximum it would close early
            if progress.isVisible():
                QApplication.processEvents()  # draw it, and let Cancel be clicked
            return not progress.wasCanceled()

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.last_result = export_programme(self._database, path, self._event.id, self.lang, self.paper,
                                                progress=report)
        except BuildCancelled:
            QApplication.restoreOverrideCursor()
            self._end_progress()
            return None
        except (ExportError, EventNotFound, ValueError) as exc:
            self._end_progress()
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, _("Cannot print the programme"), error_sentence(exc))
            return None
        except SQLAlchemyError as exc:
            self._end_progress()
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, _("Cannot print the programme"), error_sentence(exc))
            return None
        self._end_progress()
        QApplication.restoreOverrideCursor()
        self.last_pdf = path
        return path

    def _end_progress(self) -> None:
        progress, self.progress = self.progress, None
        if progress is not None:
            progress.close()
            progress.deleteLater()

    def _on_buttons_accepted(self) -> None:
        from desktop.ui.printing.pdf_preview import PdfError, PdfPreviewDialog

        self._settings.setValue(LANG_KEY, self.lang)
        self._settings.setValue(PAPER_KEY, self.paper)
        folder = Path(tempfile.mkdtemp(prefix="conference-desk-programme-"))
        pdf = self.build(folder)
        if pdf is None:
            shutil.rmtree(folder, ignore_errors=True)
            return
        self.accept()
        try:
            self.preview = PdfPreviewDialog(
                pdf, title=_("Programme — {languages}").format(languages=language_caption(self.lang)),
                suggested_name=pdf.name,
                parent=self.parentWidget(), settings=self._settings)
        except PdfError as exc:
            QMessageBox.warning(self.parentWidget(), _("Cannot show the PDF"), error_sentence(exc))
            shutil.rmtree(folder, ignore_errors=True)
            return
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.destroyed.connect(lambda *_: shutil.rmtree(folder, ignore_errors=True))
        self.preview.open()


def export_calendar(parent: QWidget | None, database: Any, event_id: int, lang: str,
                    settings: QSettings) -> tuple[Path, int] | None:
    """Ask where to save the event's calendar and write it; returns (file, entries) or None."""
    from desktop.core.events import EventNotFound, resolve_event
    from desktop.exports.attendees import ExportError
    from desktop.exports.ical import export_ical

    try:
        with database.read() as session:
            event = resolve_event(session, event_id)
    except (EventNotFound, SQLAlchemyError) as exc:
        QMessageBox.warning(parent, _("Cannot export the calendar"), error_sentence(exc))
        return None
    folder = str(settings.value(ICS_FOLDER) or "")
    if not folder or not Path(folder).is_dir():
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    name = safe_file_name(text(event.title, lang), words(lang).p_("file name", "agenda")) + ".ics"
    target, _filter = QFileDialog.getSaveFileName(parent, _("Export Calendar"), str(Path(folder) / name),
                                                  _("iCalendar file (*.ics)"))
    if not target:
        return None
    path = Path(target)
    if path.suffix.lower() != ".ics":
        path = path.with_name(path.name + ".ics")
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        count = export_ical(database, path, event_id, lang)
    except (ExportError, EventNotFound, ValueError) as exc:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, _("Cannot export the calendar"), error_sentence(exc))
        return None
    except SQLAlchemyError as exc:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, _("Cannot export the calendar"), error_sentence(exc))
        return None
    QApplication.restoreOverrideCursor()
    settings.setValue(ICS_FOLDER, str(path.parent))
    return path, count
