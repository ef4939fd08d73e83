"""File → Export attendees…: choose columns, filters, language and format, then save.

The export itself is ``desktop.exports.attendees.export_attendees`` — the same call as
``conference-desk export-attendees``. It runs in a worker thread with its own database
session, so the window stays responsive; a progress dialog (shown only when an export
takes more than a moment) reports the rows written and can cancel, which leaves no file.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from db.models import Sector, Status
from desktop.core import formats, vocabulary
from desktop.core.attendee_list import (
    CATALOGUE,
    CHUNK_SIZE,
    COLUMNS,
    CONTACT_COLUMNS,
    DEFAULT_COLUMNS,
    AttendeeFilter,
    count_attendees,
)
from desktop.core.events import EventNotFound, resolve_event
from desktop.core.i18n import LANGUAGE_NAMES, text
from desktop.core.language import N_, NP_, _, n_, np_, p_, words
from desktop.exports.attendees import (
    FORMATS,
    ExportCancelled,
    ExportError,
    ExportResult,
    Progress,
    export_attendees,
)
from desktop.ui.shell import style
from desktop.ui.shell.fields import language_heading
from desktop.ui.shell.jobs import BackgroundJob

# (label, format, CSV delimiter); the labels are messages, translated where shown.
FORMAT_CHOICES: tuple[tuple[str, str, str | None], ...] = (
    (N_("Excel workbook (.xlsx)"), "xlsx", None),
    (N_("CSV, separated by semicolons — Excel with Russian or Kazakh settings (.csv)"), "csv", ";"),
    (N_("CSV, separated by commas — Excel with English settings (.csv)"), "csv", ","),
)
FILE_FILTERS = {"xlsx": N_("Excel workbook (*.xlsx)"), "csv": N_("CSV file (*.csv)")}
CHECKED_IN_CHOICES: tuple[tuple[str, bool | None], ...] = (
    (NP_("check-in filter", "Everyone"), None), (NP_("check-in filter", "Checked in"), True),
    (NP_("check-in filter", "Not checked in"), False),
)
NO_SECTOR = "none"  # the sector list's entry for people without an organisation

# Settings keys (only when the dialog is given settings).
FOLDER = "export/folder"
COLUMNS_KEY = "export/columns"
FORMAT_KEY = "export/format"


def _checkable(texts_and_data: list[tuple[str, object, bool]], parent: QWidget | None = None) -> QListWidget:
    widget = QListWidget(parent)
    for caption, data, checked in texts_and_data:
        item = QListWidgetItem(caption)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> list[object]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


def safe_file_name(name: str) -> str:
    """``name`` without the characters Windows, macOS and Linux refuse in file names."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name)
    return " ".join(name.split()).strip(" .") or "attendees"


class ExportDialog(QDialog):
    """Export the attendee list of one event.

    Columns are a checkable list in the order they will appear (drag to reorder); the
    defaults are name, organisation, position, sector and status; contact details are
    never ticked unless the user ticks them. Status and sector filters are checkable
    lists (all ticked: no filter), check-in a choice of three.

    Signals:
        exported(str, int): a file was written; carries its path and its number of rows.
    """

    exported = Signal(str, int)

    def __init__(self, database: Database, event_id: int, lang: str = "en",
                 parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._settings = settings
        with database.read() as session:
            self._event = resolve_event(session, event_id)
        self._job: BackgroundJob | None = None
        self.last_result: ExportResult | None = None
        self.last_error: str | None = None
        self.chunk_size = CHUNK_SIZE

        self.setWindowTitle(_("Export attendees"))
        self.setWindowIcon(style.icon("app"))
        self.setMinimumSize(760, 560)

        heading = QLabel(_("Export attendees"))
        heading.setObjectName("pageTitle")
        heading.setFont(style.scaled_font(self.font(), 1.3, bold=True))
        self.event_label = QLabel(text(self._event.title, lang) or _("Untitled event"))
        self.event_label.setObjectName("pageSubtitle")
        self.event_label.setWordWrap(True)

        # Columns
        remembered = self._remembered_columns()
        chosen = remembered if remembered else DEFAULT_COLUMNS
        order = [*chosen, *(c.key for c in CATALOGUE if c.key not in chosen)]
        self.column_list = _checkable([(COLUMNS[k].header(), k, k in chosen) for k in order])
        self.column_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.column_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.column_list.setToolTip(_("Tick the columns to export; drag them to change their order."))
        for i in range(self.column_list.count()):
            item = self.column_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in CONTACT_COLUMNS:
                item.setToolTip(_("Contact details: personal data; include them only when the recipient needs them."))
        self.column_list.itemChanged.connect(self._on_any_list_item_changed)
        self.column_list.model().rowsMoved.connect(self._on_column_list_rows_moved)
        self.defaults_button = QPushButton(p_("export columns", "Defaults"))
        self.defaults_button.setToolTip(_("Tick the usual columns: name, organisation, position, sector and status"))
        self.defaults_button.clicked.connect(self._on_defaults_button_clicked)
        self.all_button = QPushButton(_("All but contacts"))
        self.all_button.setToolTip(_("Tick every column but the contact details (e-mail, phone)"))
        self.all_button.clicked.connect(self._on_all_button_clicked)
        column_buttons = QHBoxLayout()
        column_buttons.addWidget(self.defaults_button)
        column_buttons.addWidget(self.all_button)
        column_buttons.addStretch(1)
        columns_box = QGroupBox(p_("export", "Columns"))
        columns_layout = QVBoxLayout(columns_box)
        columns_hint = QLabel(_("Tick the columns to export; drag them into the order you want."))
        columns_hint.setObjectName("pageSubtitle")
        columns_hint.setWordWrap(True)
        columns_layout.addWidget(columns_hint)
        columns_layout.addWidget(self.column_list, 1)
        columns_layout.addLayout(column_buttons)

        # Filters
        # Item data holds plain strings (Qt turns str enums into str anyway).
        self.status_list = _checkable([(vocabulary.status(s), s.value, True) for s in Status])
        self.status_list.itemChanged.connect(self._on_any_list_item_changed)
        self.sector_list = _checkable(
            [(vocabulary.sector(s), s.value if s is not None else NO_SECTOR, True) for s in vocabulary.SECTOR_ORDER]
        )
        self.sector_list.itemChanged.connect(self._on_any_list_item_changed)
        self.checked_in_combo = QComboBox()
        for caption, value in CHECKED_IN_CHOICES:
            self.checked_in_combo.addItem(p_("check-in filter", caption), value)
        self.checked_in_combo.currentIndexChanged.connect(self._on_any_filter_changed)
        filters_box = QGroupBox(p_("export", "Who"))
        filters_layout = QFormLayout(filters_box)
        filters_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        filters_layout.addRow(p_("export", "Status"), self.status_list)
        filters_layout.addRow(p_("export", "Sector"), self.sector_list)
        filters_layout.addRow(p_("export", "Check-in"), self.checked_in_combo)
        for widget in (self.status_list, self.sector_list):
            widget.setFixedHeight(widget.sizeHintForRow(0) * widget.count() + 2 * widget.frameWidth() + 2)

        # Language and format
        self.language_combo = QComboBox()
        for code in LANGUAGE_NAMES:
            self.language_combo.addItem(language_heading(code), code)  # as the print dialogs name them
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(lang)))
        self.language_combo.setToolTip(_("The language of the file's headers, names, organisations and labels"))
        self.format_combo = QComboBox()
        for caption, fmt, delimiter in FORMAT_CHOICES:
            self.format_combo.addItem(_(caption), (fmt, delimiter))
        self.format_combo.setToolTip(_("Excel opens a CSV file right when its separator is the one of "
                                       "Excel's regional settings"))
        # The choices are long sentences: the box keeps to a reasonable width (its label stays
        # whole) and its list opens as wide as they are.
        self.format_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.format_combo.setMinimumContentsLength(24)
        self.format_combo.view().setMinimumWidth(self.format_combo.view().sizeHintForColumn(0) + 24)
        remembered_format = self._setting(FORMAT_KEY)
        if remembered_format:
            self.format_combo.setCurrentIndex(self._format_index(str(remembered_format)))
        output_box = QGroupBox(p_("export", "File"))
        output_layout = QFormLayout(output_box)
        output_layout.addRow(p_("export", "Language"), self.language_combo)
        output_layout.addRow(p_("export", "Format"), self.format_combo)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.contacts_warning = QLabel(
            _("The file will hold contact details (e-mail, phone): send it only to people who need them.")
        )
        self.contacts_warning.setWordWrap(True)
        self.contacts_warning.setStyleSheet(f"color: {style.DEMO_INK};")

        self.export_button = QPushButton(p_("button", "Export…"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.close_button = QPushButton(p_("button", "Close"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        right = QVBoxLayout()
        right.addWidget(filters_box)
        right.addWidget(output_box)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(columns_box, 1)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.event_label)
        layout.addSpacing(6)
        layout.addLayout(body, 1)
        layout.addWidget(self.contacts_warning)
        layout.addLayout(buttons)

        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(120)
        self._recount.timeout.connect(self._update_summary)
        self._match_count = 0
        self._update_summary()

    # -- what the user chose -------------------------------------------------------------

    @property
    def event_id(self) -> int:
        return self._event.id

    def columns(self) -> tuple[str, ...]:
        """The ticked columns, in the list's order."""
        return tuple(str(k) for k in _checked(self.column_list))

    def set_columns(self, keys: tuple[str, ...] | list[str]) -> None:
        """Tick exactly ``keys``, and put them first in that order."""
        self.column_list.blockSignals(True)
        items = {self.column_list.item(i).data(Qt.ItemDataRole.UserRole): self.column_list.takeItem(i)
                 for i in reversed(range(self.column_list.count()))}
        for key in [*keys, *(c.key for c in CATALOGUE if c.key not in keys)]:
            item = items[key]
            item.setCheckState(Qt.CheckState.Checked if key in keys else Qt.CheckState.Unchecked)
            self.column_list.addItem(item)
        self.column_list.blockSignals(False)
        self._update_summary()

    def attendee_filter(self) -> AttendeeFilter:
        """The filter the lists describe (everything ticked: no filter)."""
        statuses = frozenset(Status(str(s)) for s in _checked(self.status_list))
        sectors = frozenset(None if s == NO_SECTOR else Sector(str(s)) for s in _checked(self.sector_list))
        return AttendeeFilter(
            statuses=frozenset() if len(statuses) == self.status_list.count() else statuses,
            sectors=frozenset() if len(sectors) == self.sector_list.count() else sectors,
            checked_in=self.checked_in_combo.currentData(),
        )

    def language(self) -> str:
        return str(self.language_combo.currentData())

    def file_format(self) -> tuple[str, str | None]:
        """("xlsx", None) or ("csv", delimiter)."""
        fmt, delimiter = self.format_combo.currentData()
        return str(fmt), delimiter

    def match_count(self) -> int:
        return self._match_count

    def is_exporting(self) -> bool:
        return self._job is not None

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._job.progress_dialog if self._job is not None else None

    def problem(self) -> str | None:
        """Why nothing can be exported now, or None."""
        if not self.columns():
            return _("Tick at least one column.")
        if not _checked(self.status_list):
            return _("Tick at least one status.")
        if not _checked(self.sector_list):
            return _("Tick at least one sector.")
        return None

    # -- exporting -----------------------------------------------------------------------

    def suggested_path(self) -> Path:
        fmt, _delimiter = self.file_format()
        lang = words(self.language())
        title = text(self._event.title, self.language()) or lang.p_("file name", "Event")
        if len(title) > 60:
            title = title[:60].rsplit(" ", 1)[0].rstrip(",:;–—-")
        # Translators: the suggested name of an attendee list's file, in the file's language.
        name = safe_file_name(lang.p_("file name", "{title} — attendees {date}").format(
            title=title, date=f"{self._event.starts_on:%Y-%m-%d}"))
        folder = self._setting(FOLDER)
        base = Path(str(folder)) if folder and Path(str(folder)).is_dir() else Path.home()
        return base / f"{name}.{fmt}"

    def export_to(self, path: str | Path) -> None:
        """Start writing the list to ``path`` in the background; ``exported`` (or a message)
        follows. The extension decides the format: a missing or unknown one gets the
        chosen format's."""
        if self._job is not None:
            return
        fmt, delimiter = self.file_format()
        target = Path(path)
        if target.suffix.lower() not in FORMATS:
            target = target.with_name(target.name + f".{fmt}")
        self.last_result, self.last_error = None, None
        columns, flt, lang = self.columns(), self.attendee_filter(), self.language()
        database, event_id, chunk_size = self._database, self._event.id, self.chunk_size

        def job(progress: Progress) -> ExportResult:
            return export_attendees(database, target, event_id, columns, flt, lang,
                                    delimiter=delimiter, progress=progress, chunk_size=chunk_size)

        self._remember(target)
        self._job = BackgroundJob(job, self, title=_("Export attendees"),
                                  label=n_("Writing {n} attendee to {file}…", "Writing {n} attendees to {file}…",
                                           self._match_count).format(n=formats.number(self._match_count),
                                                                     file=target.name),
                                  maximum=self._match_count, cancelled_by=(ExportCancelled,),
                                  errors=(ExportError, EventNotFound, ValueError), saving_label=_("Saving the file…"),
                                  on_succeeded=self._on_job_succeeded, on_failed=self._on_job_failed,
                                  on_cancelled=self._on_job_cancelled)
        self.export_button.setEnabled(False)
        self._job.start()  # quitting mid-export stops it first and leaves no file

    def cancel_export(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _finish(self) -> None:
        """Drop the finished export and update the summary."""
        self._job = None  # it deletes itself
        self._update_summary()

    # -- slots ---------------------------------------------------------------------------

    def _on_export_button_clicked(self) -> None:
        problem = self.problem()
        if problem is not None:
            QMessageBox.information(self, _("Nothing to export"), problem)
            return
        fmt, _delimiter = self.file_format()
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export attendees"), str(self.suggested_path()), _(FILE_FILTERS[fmt]))
        if path:
            self.export_to(path)

    def _on_job_succeeded(self, result: ExportResult) -> None:
        self._finish()
        self.last_result = result
        self.exported.emit(str(result.path), result.rows)
        self.accept()

    def _on_job_failed(self, message: str) -> None:
        self._finish()
        self.last_error = message
        QMessageBox.warning(self, _("The attendee list was not exported"), message)

    def _on_job_cancelled(self) -> None:
        self._finish()

    def _on_any_list_item_changed(self, _item: QListWidgetItem) -> None:
        self._recount.start()

    def _on_any_filter_changed(self, _index: int) -> None:
        self._recount.start()

    def _on_column_list_rows_moved(self, *_args: object) -> None:
        self._update_summary()

    def _on_defaults_button_clicked(self) -> None:
        self.set_columns(list(DEFAULT_COLUMNS))

    def _on_all_button_clicked(self) -> None:
        self.set_columns([c.key for c in CATALOGUE if not c.contact])

    # -- helpers -------------------------------------------------------------------------

    def _update_summary(self) -> None:
        problem = self.problem()
        if problem is None:
            try:
                with self._database.read() as session:
                    self._match_count = count_attendees(session, self._event.id, self.attendee_filter())
            except SQLAlchemyError:
                self._match_count = 0
            n = self._match_count
            columns = len(self.columns())
            attendees = n_("{n} attendee", "{n} attendees", n).format(n=formats.number(n))
            chosen = np_("export", "{n} column", "{n} columns", columns).format(n=formats.number(columns))
            self.count_label.setText(f"{attendees} · {chosen}")
        else:
            self._match_count = 0
            self.count_label.setText(problem)
        self.contacts_warning.setVisible(any(k in CONTACT_COLUMNS for k in self.columns()))
        self.export_button.setEnabled(problem is None and self._job is None)

    def _format_index(self, remembered: str) -> int:
        """The format choice a setting names: "xlsx", "csv;" or "csv," (or, as earlier
        versions kept it, the English label)."""
        for i, (caption, fmt, delimiter) in enumerate(FORMAT_CHOICES):
            if remembered in (fmt + (delimiter or ""), caption):
                return i
        return 0

    def _setting(self, key: str) -> object:
        return self._settings.value(key) if self._settings is not None else None

    def _remembered_columns(self) -> tuple[str, ...]:
        value = self._setting(COLUMNS_KEY)
        if not value:
            return ()
        keys = str(value).split(",")
        # Contact details are never ticked by themselves, even if they were last time.
        return tuple(k for k in keys if k in COLUMNS and k not in CONTACT_COLUMNS)

    def _remember(self, target: Path) -> None:
        if self._settings is None:
            return
        self._settings.setValue(FOLDER, str(target.parent))
        self._settings.setValue(COLUMNS_KEY, ",".join(self.columns()))
        fmt, delimiter = self.file_format()
        self._settings.setValue(FORMAT_KEY, fmt + (delimiter or ""))

    def done(self, result: int) -> None:
        """Closing while an export runs cancels it and waits for it to stop."""
        if self._job is not None:
            self._job.stop_and_wait()
        super().done(result)
