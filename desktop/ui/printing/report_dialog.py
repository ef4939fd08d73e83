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

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.i18n import text
from desktop.core.language import LANGUAGES, NP_, _
from desktop.exports.print_common import PrintResult, Progress
from desktop.ui.printing.dialogs import MIN_WIDTH, PdfDialog
from desktop.ui.shell import style
from desktop.ui.shell.fields import language_heading

LANG_KEY = "print/report_lang"


def report_title(event: str) -> str:
    """The preview's title."""
    # Translators: the preview's title; {event} is the event's title.
    return _("Participation report — {event}").format(event=event)


class ReportDialog(PdfDialog):
    """Choose the report's language; Preview… makes it and opens the preview.

    Signals:
        built(str, int, int): the PDF was made; carries its path, the registrations it
            counts and its pages.
    """

    def __init__(self, database: Database, event_id: int, *, lang: str = "en", parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(database, event_id, parent, settings)

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

    def suggested_name(self) -> str:
        return self._file_name(NP_("file name", "participation report"))

    def _preview_title(self) -> str:
        return report_title(text(self._event.title, self.language()) or _("Untitled event"))

    def build(self) -> None:
        """Start making the PDF in the background; the preview (or a message) follows."""
        if self._job is not None:
            return
        from desktop.exports.report import export_report, making_text

        database, event_id, lang = self._database, self._event_id, self.language()

        def job(progress: Progress, target: Path) -> PrintResult:
            return export_report(database, target, event_id, lang=lang, progress=progress)

        if self._settings is not None:
            self._settings.setValue(LANG_KEY, lang)
        self._start(job, prefix="conference-desk-report-", label=making_text(), maximum=10)

    def _finish(self) -> None:
        super()._finish()
        self.preview_button.setEnabled(True)

    def _on_preview_button_clicked(self) -> None:
        self.build()


__all__ = ["ReportDialog", "report_title"]
