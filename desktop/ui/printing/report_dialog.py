"""File → Print → Participation Report…: the report for the donors, with a preview.

The dialog asks only for the report's language (it counts every registration of the event,
so there is no choice of people). Preview… builds the PDF with
``desktop.exports.report.export_report`` — the same call as ``conference-desk export-report``
— in a worker thread with a progress dialog that can cancel (``BackgroundJob``), into a
temporary folder, and opens it in the PDF preview (Save…, Print…), as the other printed
pages of File → Print do. The temporary folder goes when the preview closes.

``PrintMenu`` (``desktop.ui.printing.menu``) loads this module when its action is first triggered.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.i18n import text
from desktop.core.language import LANGUAGES, _, p_, words
from desktop.exports.print_common import PrintCancelled, PrintError, Progress
from desktop.ui.printing.dialogs import MIN_WIDTH, safe_file_name, show_preview
from desktop.ui.shell import style
from desktop.ui.shell.fields import language_heading
from desktop.ui.shell.jobs import BackgroundJob

LANG_KEY = "print/report_lang"


def report_title(event: str) -> str:
    """The preview's title."""
    # Translators: the preview's title; {event} is the event's title.
    return _("Participation report — {event}").format(event=event)


class ReportDialog(QDialog):
    """Choose the report's language; Preview… makes it and opens the preview.

    Signals:
        built(str, int, int): the PDF was made; carries its path, the registrations it
            counts and its pages.
    """

    built = Signal(str, int, int)

    def __init__(self, database: Database, event_id: int, *, lang: str = "en", parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        from desktop.core.events import resolve_event

        super().__init__(parent)
        self._database = database
        self._event_id = event_id
        self._settings = settings
        self._job: BackgroundJob | None = None
        self._tmp: Path | None = None
        self.last_result: Any = None
        self.last_error: str | None = None
        self.preview: Any = None
        with database.read() as session:
            self._event = resolve_event(session, event_id)

        self.setWindowTitle(_("Print Participation Report"))
        self.setWindowIcon(style.icon("app"))
        self.setMinimumWidth(MIN_WIDTH)
        heading = QLabel(_("Participation report"))
        heading.setObjectName("pageTitle")
        heading.setFont(style.scaled_font(self.font(), 1.3, bold=True))
        self.event_label = QLabel(text(self._event.title, lang) or _("Untitled event"))
        self.event_label.setObjectName("pageSubtitle")
        self.event_label.setWordWrap(True)
        about = QLabel(_("Invited, registered, confirmed and attended by sector, with the share of women; "
                         "speakers and moderators by gender; organisations and countries; attendance by day."))
        about.setWordWrap(True)

        self.language_combo = QComboBox()
        for code in LANGUAGES:
            self.language_combo.addItem(language_heading(code), code)
        remembered = self._settings.value(LANG_KEY) if self._settings is not None else None
        start = str(remembered) if remembered in LANGUAGES else lang
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(start)))
        self.language_combo.setToolTip(_("Language of the printed words; titles and organisations in it "
                                         "where they have a translation"))
        form = QFormLayout()
        form.addRow(_("&Language"), self.language_combo)

        self.preview_button = QPushButton(_("Preview…"))
        self.preview_button.setDefault(True)
        self.preview_button.setToolTip(_("Make the PDF and show it; save or print it from the preview"))
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.event_label)
        layout.addWidget(about)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def language(self) -> str:
        return str(self.language_combo.currentData())

    def is_building(self) -> bool:
        return self._job is not None

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._job.progress_dialog if self._job is not None else None

    def suggested_name(self) -> str:
        lang = self.language()
        page_words = words(lang)
        title = text(self._event.title, lang) or page_words.p_("file name", "Event")
        if len(title) > 60:
            title = title[:60].rsplit(" ", 1)[0].rstrip(",:;–—-")
        word = page_words.p_("file name", "participation report")
        return safe_file_name(f"{title} — {word} {self._event.starts_on:%Y-%m-%d}") + ".pdf"

    def build(self) -> None:
        """Start making the PDF in the background; the preview (or a message) follows."""
        if self._job is not None:
            return
        from desktop.exports.report import export_report, making_text

        self.last_result, self.last_error = None, None
        self._tmp = Path(tempfile.mkdtemp(prefix="conference-desk-report-"))
        target = self._tmp / self.suggested_name()
        database, event_id, lang = self._database, self._event_id, self.language()

        def job(progress: Progress) -> Any:
            return export_report(database, target, event_id, lang=lang, progress=progress)

        if self._settings is not None:
            self._settings.setValue(LANG_KEY, lang)
        self._job = BackgroundJob(job, self, title=p_("window", "Print"), label=making_text(), maximum=10,
                                  cancelled_by=(PrintCancelled,), errors=(PrintError, ValueError),
                                  not_written=_("The PDF could not be written: {reason}."),
                                  on_succeeded=self._on_job_succeeded, on_failed=self._on_job_failed,
                                  on_cancelled=self._on_job_cancelled)
        self.preview_button.setEnabled(False)
        self._job.start()

    def cancel_build(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _finish(self) -> None:
        self._job = None  # it deletes itself
        self.preview_button.setEnabled(True)

    def _drop_tmp(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def _on_preview_button_clicked(self) -> None:
        self.build()

    def _on_job_succeeded(self, result: Any) -> None:
        self._finish()
        self.last_result = result
        tmp, self._tmp = self._tmp, None
        self.built.emit(str(result.path), result.items, result.pages)
        title = report_title(text(self._event.title, self.language()) or _("Untitled event"))
        parent = self.parentWidget()
        self.accept()
        self.preview = show_preview(parent, result.path, title=title, suggested_name=result.path.name,
                                    settings=self._settings, cleanup=tmp)

    def _on_job_failed(self, message: str) -> None:
        self._finish()
        self._drop_tmp()
        self.last_error = message
        QMessageBox.warning(self, _("Nothing was printed"), message)

    def _on_job_cancelled(self) -> None:
        self._finish()
        self._drop_tmp()

    def done(self, result: int) -> None:
        """Closing while the PDF is being made cancels it and waits for it to stop."""
        if self._job is not None:
            self._job.stop_and_wait()
        super().done(result)


__all__ = ["ReportDialog", "report_title"]
