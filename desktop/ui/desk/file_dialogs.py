"""File → Export Desk File… and Merge Desk File…: the window's faces of
``desktop.core.desk_file`` (the same calls as ``conference-desk desk-export`` / ``desk-merge``).

* ``DeskExport`` asks where to save (the folder is remembered), writes the file in a worker
  thread with a progress dialog that can cancel (a cancel leaves no file), and says how the
  other desk opens it.
* ``MergeDialog`` reads the chosen desk file as a dry run first and shows what a merge would
  bring — counts, links, new badge codes and the conflicts in a table — and merges only
  when the user presses Merge; then it shows what was done. Check-ins are append-only
  records, so a merge is not put on the undo stack: the dialog says so before it runs.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core import formats
from desktop.core.desk_file import (
    MERGE_STEPS,
    SUFFIX,
    Conflict,
    DeskFileCancelled,
    DeskFileError,
    DeskFileReport,
    MergeReport,
    export_desk_file,
    merge_desk_file,
)
from desktop.core.i18n import text
from desktop.core.language import N_, _, interface_language, n_, p_
from desktop.ui.shell import style
from desktop.ui.shell.jobs import BackgroundJob

FOLDER = "desk_file/folder"  # settings key: the folder last used for desk files
MERGE_SIZE = "desk_file/merge_size"


def _file_filter(patterns: str) -> str:
    """The file dialog's filter: desk files (``patterns``), or any file."""
    return _("Conference Desk desk files ({patterns});;All files (*)").format(patterns=patterns)


def _folder(settings: QSettings | None, database: Database) -> Path:
    remembered = settings.value(FOLDER) if settings is not None else None
    if remembered and Path(str(remembered)).is_dir():
        return Path(str(remembered))
    path = database.target.path
    return path.parent if path is not None and path.parent.is_dir() else Path.home()


def suggested_name(title: dict[str, str], lang: str = "en") -> str:
    """"<event title> — desk.deskdb", short and safe on every system."""
    name = text(title, lang) or p_("file name", "Event")
    if len(name) > 50:
        name = name[:50].rsplit(" ", 1)[0].rstrip(",:;–—-")
    name = " ".join(re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).split()).strip(" .") or p_("file name", "Event")
    # Translators: the suggested name of a desk file; {title} is the event's title.
    return p_("file name", "{title} — desk").format(title=name) + SUFFIX


# == export ========================================================================================


class DeskExport(QObject):
    """Export a desk file of one event, from asking for the file to the final message.

    Signals:
        finished(object): the export ended; carries the ``DeskFileReport``, or None when it
            was cancelled, failed, or no file was chosen.
    """

    finished = Signal(object)

    def __init__(self, database: Database, event_id: int, title: dict[str, str], parent: QWidget,
                 settings: QSettings | None = None, lang: str = "en") -> None:
        super().__init__(parent)
        self._database, self._event_id, self._title, self._lang = database, event_id, title, lang
        self._parent, self._settings = parent, settings
        self._job: BackgroundJob | None = None
        self.chunk_size = 2000
        self.last_report: DeskFileReport | None = None
        self.last_error: str | None = None
        self.show_messages = True  # tests turn the final message box off

    def start(self) -> None:
        """Ask for the file, then export to it."""
        path, _chosen = QFileDialog.getSaveFileName(
            self._parent, _("Export desk file"),
            str(_folder(self._settings, self._database) / suggested_name(self._title, self._lang)),
            _file_filter(f"*{SUFFIX}"))
        if not path:
            self.finished.emit(None)
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_name(target.name + SUFFIX)
        self.export_to(target)

    def export_to(self, target: Path) -> None:
        if self._settings is not None:
            self._settings.setValue(FOLDER, str(target.parent))
        database, event_id, chunk_size = self._database, self._event_id, self.chunk_size

        def job(progress: Callable[[int, int], bool]) -> DeskFileReport:
            # The save dialog has asked before replacing a file.
            return export_desk_file(database, target, event_id, overwrite=True, progress=progress,
                                    chunk_size=chunk_size)

        self._job = BackgroundJob(job, self._parent, title=_("Export desk file"),
                                  label=_("Writing the desk file {file}…").format(file=target.name), maximum=1,
                                  cancelled_by=(DeskFileCancelled,), errors=(DeskFileError,),
                                  on_succeeded=self._on_job_succeeded, on_failed=self._on_job_failed,
                                  on_cancelled=self._on_job_cancelled)
        self._job.start()

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._job.progress_dialog if self._job is not None else None

    def is_running(self) -> bool:
        return self._job is not None

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _finish(self) -> None:
        self._job = None  # it deletes itself

    def _on_job_succeeded(self, report: DeskFileReport) -> None:
        self._finish()
        self.last_report = report
        if self.show_messages:
            box = QMessageBox(QMessageBox.Icon.Information, _("Desk file written"),
                              _("{file} is ready for the other desk.").format(file=report.path.name),
                              QMessageBox.StandardButton.Ok, self._parent)
            # Translators: {registrations}, {people}, {check_ins} are numbers.
            holds = n_("It holds {registrations} registration, {people} people, {check_ins} check-ins so far.",
                       "It holds {registrations} registrations, {people} people, {check_ins} check-ins so far.",
                       report.registrations).format(
                registrations=formats.number(report.registrations), people=formats.number(report.people),
                check_ins=formats.number(report.check_ins))
            how = _("Copy {file} to the other desk's computer and open it there with File → Open database…, "
                    "or start Conference Desk there with\nconference-desk --db \"{file}\"\n"
                    "The desk works on it without a network. Afterwards, File → Merge Desk File… here brings "
                    "its check-ins and walk-ins back.").format(file=report.path.name)
            box.setInformativeText(f"{holds}\n\n{how}")
            box.setDetailedText("\n".join(report.lines()))
            box.exec()
        self.finished.emit(report)

    def _on_job_failed(self, message: str) -> None:
        self._finish()
        self.last_error = message
        if self.show_messages:
            QMessageBox.warning(self._parent, _("The desk file was not written"), message)
        self.finished.emit(None)

    def _on_job_cancelled(self) -> None:
        self._finish()
        self.finished.emit(None)


# == merge =========================================================================================


class ConflictModel(QAbstractTableModel):
    """The conflicts of a merge report: name, badge, this desk file's check-in, the other one."""

    HEADERS = (N_("Name"), N_("Badge"), N_("In the desk file"), N_("Elsewhere"))  # translated when shown

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Conflict] = []
        self._report: MergeReport | None = None

    def set_report(self, report: MergeReport | None) -> None:
        self.beginResetModel()
        self._report = report
        self._rows = list(report.conflicts) if report is not None else []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self._report is None or role not in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        c = self._rows[index.row()]
        local = self._report.local_time
        return (c.name, c.code, f"{c.desk}, {local(c.desk_at)}", f"{c.other_desk}, {local(c.other_at)}")[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return _(self.HEADERS[section])
        return None


@dataclass
class _Run:
    """One dry run or merge of the dialog, as its worker thread and the window see it."""

    dry_run: bool
    writing: bool = False  # the merge's write transaction began: it is not stopped any more
    cancel_asked: bool = False
    report: MergeReport | None = None  # the job's result, once it returned


class MergeDialog(QDialog):
    """What merging one desk file brings (a dry run), and the Merge button that does it.
    Both run in a worker thread (``BackgroundJob``) with a progress dialog: the window
    stays responsive while the file is verified, read and merged. A cancel stops them until
    the merge's write transaction begins; from then on the merge is one transaction that
    commits (the dialog then says the cancel came too late) or rolls back.

    Signals:
        previewed(object): the dry run ended; carries the ``MergeReport``, or None (``error``
            says why, or is None when it was cancelled).
        merged(object): the merge was written; carries the ``MergeReport``.
        merge_stopped(str): the merge was not written (failed or cancelled); the sentence shown.
    """

    previewed = Signal(object)
    merged = Signal(object)
    merge_stopped = Signal(str)
    _write_began = Signal()  # emitted from the worker thread, received in the window's

    def __init__(self, database: Database, path: str | Path, event_id: int | None,
                 parent: QWidget | None = None, settings: QSettings | None = None, *,
                 preview: bool = True) -> None:
        super().__init__(parent)
        self._database, self._path, self._event_id, self._settings = database, Path(path), event_id, settings
        self.report: MergeReport | None = None
        self.error: str | None = None
        self.applied = False
        self.show_messages = True  # tests turn the warning of a failed merge off
        self._job: BackgroundJob | None = None
        self._run: _Run | None = None
        self._write_began.connect(self._on_write_began)
        self.merge_stopped.connect(self._on_merge_stopped)

        self.setWindowTitle(_("Merge desk file"))
        self.setWindowIcon(style.icon("app"))
        self.setMinimumSize(640, 420)
        heading = QLabel(_("Merge {file}").format(file=self._path.name))
        heading.setObjectName("pageTitle")
        heading.setFont(style.scaled_font(self.font(), 1.3, bold=True))
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QListWidget()
        self.details.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.details.setWordWrap(True)
        self.details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.conflicts_label = QLabel()
        self.conflict_model = ConflictModel(self)
        self.conflict_view = QTableView()
        self.conflict_view.setModel(self.conflict_model)
        self.conflict_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflict_view.verticalHeader().setVisible(False)
        self.conflict_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.conflict_view.setAlternatingRowColors(True)
        self.note = QLabel(_("Check-ins are never deleted: a merge cannot be undone. Merging the same "
                             "file again later adds only what is new."))
        self.note.setObjectName("pageSubtitle")
        self.note.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.merge_button = QPushButton(p_("button", "Merge"))
        self.merge_button.setDefault(True)
        self.buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(self.conflict_view, 2)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        size = settings.value(MERGE_SIZE) if settings is not None else None
        if size is not None and hasattr(size, "width"):
            self.resize(size)
        else:
            self.resize(760, 520)
        if preview:
            self.preview()

    def preview(self) -> None:
        """Read the file as a dry run in a worker thread; ``previewed`` says how it went and
        the dialog shows what a merge would do."""
        self.merge_button.setEnabled(False)
        self._start(dry_run=True)

    def apply(self) -> bool:
        """Start the merge in a worker thread (False when one runs already); ``merged`` or
        ``merge_stopped`` says how it ended."""
        if self._job is not None or self.applied or self.report is None:
            return False
        self.merge_button.setEnabled(False)  # no second merge from a double click
        self.close_button.setEnabled(False)
        self._start(dry_run=False)
        return True

    def is_running(self) -> bool:
        return self._job is not None

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._job.progress_dialog if self._job is not None else None

    def cancel(self) -> None:
        """Ask the running job to stop: a merge stops only before its write transaction began."""
        if self._job is not None:
            self._on_progress_canceled()
            self._job.cancel()

    def _start(self, dry_run: bool) -> None:
        database, path, event_id = self._database, self._path, self._event_id
        run = _Run(dry_run)
        self._run = run
        write_began = self._write_began

        def job(progress: Callable[[int, int], bool]) -> MergeReport:
            def step(done: int, total: int) -> bool:
                go = progress(done, total)
                if go and not dry_run and done == MERGE_STEPS - 1:
                    run.writing = True  # from here the merge is one transaction: it is not stopped
                    write_began.emit()
                return go

            # CPython's cycle collector holds the GIL, and so the window, for the whole of a
            # collection: the thousands of rows a merge reads set off full ones of 50-70 ms.
            # Off while it runs (as the roster's reads do); reference counting frees them.
            collecting = gc.isenabled()
            gc.disable()
            try:
                report = merge_desk_file(database, path, event_id, dry_run=dry_run, progress=step)
            finally:
                if collecting:
                    gc.enable()
            run.report = report  # kept for a job stopped meanwhile (the application quitting)
            return report

        if dry_run:
            label = _("Reading the desk file {file}…").format(file=path.name)
        else:
            label = _("Merging {file}…").format(file=path.name)
        # The preview runs before the dialog shows: its progress dialog is the window's.
        parent = self.parentWidget()
        owner = parent if parent is not None and not self.isVisible() else self
        self._job = BackgroundJob(job, owner, title=_("Merge desk file"), label=label, maximum=MERGE_STEPS,
                                  cancelled_by=(DeskFileCancelled,), errors=(DeskFileError,),
                                  on_succeeded=self._on_job_succeeded, on_failed=self._on_job_failed,
                                  on_cancelled=self._on_job_cancelled)
        if self._job.progress_dialog is not None:
            self._job.progress_dialog.canceled.connect(self._on_progress_canceled)
        self._job.start()

    def _on_write_began(self) -> None:
        dialog = self.progress_dialog
        if dialog is not None:
            dialog.setLabelText(_("Writing the merge into this database… It is one step now and cannot be "
                                  "stopped."))
            button = dialog.findChild(QPushButton)
            if button is not None:
                button.setEnabled(False)

    def _on_job_succeeded(self, report: MergeReport) -> None:
        run, self._job = self._run, None
        if run is not None and run.dry_run:
            self._on_previewed(report)
        else:
            self._on_applied(report, cancel_asked=run is not None and run.cancel_asked)

    def _on_job_failed(self, message: str) -> None:
        run, self._job = self._run, None
        self.error = message
        self.summary_label.setText(message)
        self.summary_label.setStyleSheet(f"color: {style.DEMO_INK};")
        if run is not None and run.dry_run:
            self.previewed.emit(None)
        else:
            self._merge_not_written(message)

    def _on_job_cancelled(self) -> None:
        run = self._run
        if run is not None and run.report is not None:  # it had finished meanwhile: say what was done
            self._on_job_succeeded(run.report)
            return
        self._job = None
        if run is None or run.dry_run:
            self.error = None  # nothing to tell: the user stopped it
            self.previewed.emit(None)
            return
        message = _("The merge was cancelled before it began writing: nothing was merged.")
        self.note.setText(message)
        self._merge_not_written(message)

    def _on_previewed(self, report: MergeReport) -> None:
        self._show(report)
        self.merge_button.setEnabled(report.changes > 0)
        if report.changes == 0:
            self.merge_button.setToolTip(_("The file brings nothing new: everything in it is here already."))
        self.previewed.emit(report)

    def _on_applied(self, report: MergeReport, cancel_asked: bool) -> None:
        self.applied = True
        self._show(report)
        self.merge_button.setVisible(False)
        self.close_button.setEnabled(True)
        self.close_button.setText(p_("button", "Close"))
        note = _("Merged. The window shows the new check-ins now.")
        if cancel_asked:
            note = _("The merge had begun writing when you cancelled, so it was completed. {merged}").format(
                merged=note)
        self.note.setText(note)
        self.merged.emit(report)

    def _merge_not_written(self, message: str) -> None:
        self.merge_button.setEnabled(self.report is not None and self.report.changes > 0)
        self.close_button.setEnabled(True)
        self.merge_stopped.emit(message)

    def _show(self, report: MergeReport) -> None:
        self.report = report
        self.summary_label.setStyleSheet("")
        event = text(report.event_title, interface_language()) or _("Untitled event")
        lead = (_("Desk file of “{event}”") if report.dry_run else _("Desk file of “{event}” — merged")).format(
            event=event)
        self.summary_label.setText(f"{lead}\n{report.summary()}")
        self.details.clear()
        # Conflicts have their own table below; the list holds everything else.
        self.details.addItems(report.lines(conflicts=False) or [_("Nothing else to report.")])
        n = len(report.conflicts)
        self.conflicts_label.setText(
            _("No one was checked in both at this desk and elsewhere.") if not n else
            n_("{n} person was checked in both at this desk and elsewhere: both records are kept and each "
               "counts once.",
               "{n} people were checked in both at this desk and elsewhere: both records are kept and each "
               "counts once.", n).format(n=formats.number(n)))
        self.conflict_model.set_report(report)
        self.conflict_view.setVisible(bool(n))
        if n:
            self.conflict_view.resizeColumnsToContents()

    def _on_merge_button_clicked(self) -> None:
        self.apply()

    def _on_merge_stopped(self, message: str) -> None:
        if self.show_messages and self._run is not None and not self._run.cancel_asked:
            QMessageBox.warning(self, _("The desk file was not merged"), message)

    def _on_progress_canceled(self) -> None:
        # The progress dialog says "canceled" also when it is closed at the end: by then the
        # job has returned, and that is not the user asking.
        if self._run is not None and self._run.report is None:
            self._run.cancel_asked = True

    def reject(self) -> None:
        if self._job is not None:  # a merge runs: it ends (or stops) first, then says so
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._job is not None:
            event.ignore()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        if self._settings is not None:
            self._settings.setValue(MERGE_SIZE, self.size())
        super().done(result)


def choose_desk_file(parent: QWidget, database: Database, settings: QSettings | None) -> Path | None:
    """Ask for a desk file to merge; remembers its folder."""
    path, _chosen = QFileDialog.getOpenFileName(parent, _("Merge desk file"), str(_folder(settings, database)),
                                                _file_filter(f"*{SUFFIX} *.sqlite *.db"))
    if not path:
        return None
    if settings is not None:
        settings.setValue(FOLDER, str(Path(path).parent))
    return Path(path)


__all__ = ["ConflictModel", "DeskExport", "MergeDialog", "choose_desk_file", "suggested_name"]
