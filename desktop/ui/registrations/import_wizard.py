"""File → Import attendees…: a wizard over ``desktop.core.importing`` — the same calls as
``conference-desk import-attendees``.

1. *File*: choose the list (.xlsx, .xls, .ods, .csv, .txt); it is read and checked at once,
   and a file that cannot be used is explained in one sentence.
2. *Columns*: every column of the list with its header, a few of its values, and a combo
   box saying what it is imported as; the wizard's guess can be corrected column by column.
3. *Preview*: every row of the file and what will happen to it — a new person, someone
   already in the roster, a duplicate, or skipped and why — colour-coded, with the counts
   and a filter. The rows come from the plan's compact verdicts (``VerdictLog``), made
   into objects only as the view asks for them. This page commits: its button imports.
4. *Import*: the import runs in a worker thread (one transaction) with a progress bar;
   Cancel stops it and nothing is imported.
5. *Report*: the counts, and every duplicate, skipped row and warning, to read or copy.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from desktop.core import formats
from desktop.core.errors import error_sentence, sentence
from desktop.core.events import EventNotFound, resolve_event
from desktop.core.i18n import text
from desktop.core.importing import (
    FIELD_SPECS,
    EventMissing,
    ImportCancelled,
    ImportFileError,
    ImportPlan,
    ImportReport,
    Layout,
    MappingError,
    Outcome,
    RowVerdict,
    SourceTable,
    VerdictLog,
    detect_layout,
    import_attendees,
    open_source,
    preview_import,
)
from desktop.core.language import N_, NP_, _, n_, p_
from desktop.ui.shell import style

# Translators: the file dialog's filters: keep the patterns in brackets and the ";;" between filters.
FILE_FILTER = N_("Attendee lists (*.xlsx *.xls *.ods *.csv *.txt);;Excel workbooks (*.xlsx *.xls);;"
                 "OpenDocument spreadsheets (*.ods);;Text (*.csv *.txt);;All files (*)")
FOLDER = "import/folder"

FILE_PAGE, MAPPING_PAGE, PREVIEW_PAGE, IMPORT_PAGE, REPORT_PAGE = range(5)

IGNORE_LABEL = NP_("import field", "(not imported)")

# What happens to a row: its label (a message of the context "import outcome", translated
# where shown: ``outcome_label``) and its colours (background, text).
OUTCOME_LOOK: dict[Outcome, tuple[str, str, str]] = {
    Outcome.NEW: (NP_("import outcome", "New person"), "#e8f5ec", "#1f6b3d"),
    Outcome.ROSTER: (NP_("import outcome", "In the roster"), "#e3ecf8", "#2f5d9b"),
    Outcome.DUPLICATE: (NP_("import outcome", "Duplicate"), "#fff4d6", "#7a5600"),
    Outcome.SKIPPED: (NP_("import outcome", "Skipped"), "#fde8e8", "#9b2c2c"),
}

# The preview's filter: label (a message of the context "import filter"), the outcomes it
# keeps, and whether only rows with warnings.
FILTERS: tuple[tuple[str, tuple[Outcome, ...], bool], ...] = (
    (NP_("import filter", "All rows"), tuple(Outcome), False),
    (NP_("import filter", "To be imported"), (Outcome.NEW, Outcome.ROSTER), False),
    (NP_("import filter", "Duplicates"), (Outcome.DUPLICATE,), False),
    (NP_("import filter", "Skipped"), (Outcome.SKIPPED,), False),
    (NP_("import filter", "With warnings"), tuple(Outcome), True),
)

ModelIndex = QModelIndex | QPersistentModelIndex


def outcome_label(outcome: Outcome) -> str:
    """What happens to a row, in a word or two of the interface language ("New person")."""
    return p_("import outcome", OUTCOME_LOOK[outcome][0])


def _people(n: int) -> str:
    return n_("{n} person", "{n} people", n).format(n=formats.number(n))


_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
                    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.UserRole})


class VerdictModel(QAbstractTableModel):
    """The preview's rows: one per verdict, coloured by what happens to it. It keeps the
    positions of the verdicts its filter keeps and makes the ``RowVerdict`` of a row when
    the view asks for it (the plan holds them compactly)."""

    HEADERS = (NP_("import preview", "Row"), NP_("import preview", "What happens"), NP_("import preview", "Name"),
               NP_("import preview", "Organisation"), NP_("import preview", "E-mail"),
               NP_("import preview", "Details"))
    """The columns' headers (messages of the context "import preview")."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._verdicts: VerdictLog | None = None
        self._rows: list[int] = []  # positions in the plan's verdicts
        self._brushes = {o: (QBrush(QColor(bg)), QBrush(QColor(fg))) for o, (_l, bg, fg) in OUTCOME_LOOK.items()}
        self._labels = {o: outcome_label(o) for o in OUTCOME_LOOK}
        self._headers = tuple(p_("import preview", h) for h in self.HEADERS)

    def set_plan(self, plan: ImportPlan | None, keep: tuple[Outcome, ...] = FILTERS[0][1],
                 warned: bool = False) -> None:
        """Show the verdicts of ``plan`` with one of the outcomes ``keep`` (and warnings, if ``warned``)."""
        self.beginResetModel()
        self._verdicts = plan.verdicts if plan is not None else None
        self._rows = plan.verdicts.positions(keep, warned) if plan is not None else []
        self.endResetModel()

    def verdict(self, row: int) -> RowVerdict:
        assert self._verdicts is not None
        return self._verdicts[self._rows[row]]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or self._verdicts is None:
            return None
        if role not in _ROLES:
            return None
        v = self._verdicts[self._rows[index.row()]]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return str(v.row)
            if column == 1:
                return self._labels[v.outcome]
            if column in (2, 3, 4):
                return v.texts[column - 2]
            if column == 5:
                return _with_notes(_details(v), v)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes[v.outcome][0]
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return self._brushes[v.outcome][1]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.UserRole:
            return v
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None


def _with_notes(sentence: str, v: RowVerdict) -> str:
    """``sentence`` followed by the row's warnings, if any."""
    if not v.warnings:
        return sentence
    # Translators: a row's warnings, one after another with "; " between them.
    note = _("Note: {warnings}.").format(warnings="; ".join(v.warnings))
    return f"{sentence} {note}" if sentence else note


def row_sentence(v: RowVerdict) -> str:
    """The whole of what happens to a row, as the line under the preview shows it."""
    sentence = _with_notes(v.message, v)
    if v.outcome is Outcome.NEW:  # its sentence says so already ("New person: will join …")
        # Translators: the line under the import's preview: the row's number, then its sentence.
        return _("Row {row} · {sentence}").format(row=v.row, sentence=sentence)
    # Translators: {outcome} is what happens to the row ("Skipped", "Duplicate", "In the roster").
    return _("Row {row} · {outcome}: {sentence}").format(row=v.row, outcome=outcome_label(v.outcome),
                                                          sentence=sentence)


def _details(v: RowVerdict) -> str:
    """A verdict's sentence without what the "What happens" column already says: for a new
    person, only that the row adds a new organisation."""
    if v.outcome is Outcome.NEW:
        if v.adds_organisation:
            return _("The organisation “{name}” is new and will be added.").format(name=v.texts[1])
        return ""
    return v.message


class _ImportWorker(QObject):
    """Runs one import in a worker thread.

    Signals:
        progressed(int, int): rows written so far and the total, after each batch.
        succeeded(object): the import is committed; carries the ``ImportReport``.
        failed(str): the import could not be done (nothing was written); one sentence.
        cancelled(): the import stopped at the user's request; nothing was written.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: Callable[[Callable[[int, int], None]], ImportReport]) -> None:
        super().__init__()
        self._job = job
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Ask the import to stop at its next batch (callable from any thread)."""
        self._stop.set()

    def report(self, done: int, total: int) -> None:
        """The progress callback: tell the window; raise when asked to stop."""
        if self._stop.is_set():
            raise ImportCancelled()
        self.progressed.emit(done, total)

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.report)
        except ImportCancelled:
            self.cancelled.emit()
        except (ImportFileError, EventMissing, EventNotFound, MappingError) as exc:
            self.failed.emit(error_sentence(exc))
        except SQLAlchemyError as exc:
            self.failed.emit(_("Nothing was imported: {reason}").format(reason=error_sentence(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug: still a message, never a dead thread
            # Translators: {kind} is the program's name for the error (English), {reason} its first line.
            self.failed.emit(_("Nothing was imported: an unexpected error ({kind}): {reason}").format(
                kind=type(exc).__name__, reason=error_sentence(exc)))
        else:
            self.succeeded.emit(result)


class _Page(QWizardPage):
    """A page of the import wizard. Pages reach the wizard through ``QWizardPage.wizard()``
    and keep no Python reference to it: a page holding its parent wizard's wrapper makes
    PySide crash later, when the application's style sheet is set again."""

    def _owner(self) -> ImportWizard:
        owner = self.wizard()
        assert isinstance(owner, ImportWizard)
        return owner


class FilePage(_Page):
    """Choose the file; it is read when the user goes on."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Choose the list of attendees"))
        self.setSubTitle(_("The people will be registered for “{event}”. People already "
                           "registered are recognised and not added twice.").format(event=wizard.event_title))
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(_("A spreadsheet or a text file…"))
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.textChanged.connect(self._on_path_edit_text_changed)
        self.browse_button = QPushButton(_("&Browse…"))
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        caption = QLabel(p_("import", "&File:"))
        caption.setBuddy(self.path_edit)
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        # Translators: keep the headers in quotation marks as they are (the words of the files).
        hint = QLabel(_(
            "Excel (.xlsx, .xls), OpenDocument (.ods) or text (.csv, .txt in UTF-8, UTF-16 or "
            "Windows-1251, separated by semicolons, commas or tabs). Titles above the header row "
            "are fine; columns are recognised by their headers in English, Russian or Kazakh "
            "(“ФИО”, “Тегі”, “Организация”, “E-mail”…), and you can correct them next."))
        hint.setWordWrap(True)
        hint.setObjectName("pageSubtitle")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addSpacing(8)
        layout.addWidget(hint)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.path_edit.setFocus()

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        return self._owner().load_file(Path(self.path_edit.text().strip()))

    def _on_path_edit_text_changed(self, _text: str) -> None:
        self.completeChanged.emit()

    def _on_browse_button_clicked(self) -> None:
        start = self.path_edit.text().strip() or self._owner().start_folder()
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose the list of attendees"), start, _(FILE_FILTER))
        if path:
            self.path_edit.setText(path)


class MappingPage(_Page):
    """The columns of the list and what each is imported as."""

    COLUMNS = (NP_("import columns", "Column"), NP_("import columns", "Header in the file"),
               NP_("import columns", "Imported as"), NP_("import columns", "Values"))
    """The table's headers (messages of the context "import columns")."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._updating = False
        self.setTitle(_("Check what each column holds"))
        self.setSubTitle(_("Each column is matched by its header. Correct any that is wrong; "
                           "a column left “not imported” is ignored."))
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([p_("import columns", c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #9b2c2c; font-weight: 600;")
        self.combos: list[QComboBox] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem_label)

    def initializePage(self) -> None:
        table, layout = self._owner().source, self._owner().mapping
        assert table is not None and layout is not None
        values = {"file": html.escape(table.name), "kind": html.escape(table.describe())}
        if layout.header_row is not None:
            # Translators: rich text: keep <b> and </b>; {kind} says what the file is ("Excel workbook, sheet “Лист1”").
            self.source_label.setText(_("<b>{file}</b> — {kind}; header on row {row}.").format(
                row=layout.header_row, **values))
        else:
            self.source_label.setText(_("<b>{file}</b> — {kind}; no header row was recognised: say what the "
                                        "columns hold.").format(**values))
        self.combos = []
        ignore = p_("import field", IGNORE_LABEL)
        fields = [(spec.key, spec.shown()) for spec in FIELD_SPECS]
        self.table.setRowCount(len(layout.columns))
        char = self.fontMetrics().averageCharWidth()
        for r, column in enumerate(layout.columns):
            letter = QTableWidgetItem(column.letter)
            letter.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(r, 0, letter)
            self.table.setItem(r, 1, QTableWidgetItem(column.header or "—"))
            samples = QTableWidgetItem("  ·  ".join(column.samples))
            samples.setToolTip("\n".join(column.samples))
            self.table.setItem(r, 3, samples)
            combo = QComboBox()
            combo.addItem(ignore, None)
            for key, label in fields:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(column.field)) if column.field else 0)
            combo.setAccessibleName(_("Column {letter} ({title}) is imported as").format(
                letter=column.letter, title=column.title))
            combo.setProperty("column", column.index)
            combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
            self.table.setCellWidget(r, 2, combo)
            self.combos.append(combo)
        self.table.setColumnWidth(1, char * 26)
        widest = max((combo.sizeHint().width() for combo in self.combos), default=char * 30)
        self.table.setColumnWidth(2, widest + 12)
        self.table.resizeRowsToContents()
        self._show_problem()
        if self.combos:
            self.combos[0].setFocus()

    def isComplete(self) -> bool:
        layout = self._owner().mapping
        return layout is not None and layout.problem is None

    def assignment(self) -> dict[int, str | None]:
        """Column index → field key (None: not imported), as the combos say."""
        return {int(c.property("column")): c.currentData() for c in self.combos}

    def set_field(self, column_letter: str, field: str | None) -> None:
        """Choose ``field`` for a column, as the user would (used by tests and shortcuts)."""
        for combo, column in zip(self.combos, self._owner().mapping.columns if self._owner().mapping else ()):
            if column.letter == column_letter:
                combo.setCurrentIndex(combo.findData(field) if field else 0)
                return
        raise KeyError(column_letter)

    def _on_combo_current_index_changed(self, _index: int) -> None:
        if self._updating:
            return
        combo = self.sender()
        if not isinstance(combo, QComboBox):
            return
        chosen = combo.currentData()
        self._updating = True
        try:
            if chosen is not None:  # a field belongs to one column: take it from any other
                for other in self.combos:
                    if other is not combo and other.currentData() == chosen:
                        other.setCurrentIndex(0)
        finally:
            self._updating = False
        self._owner().remap(self.assignment())
        self._show_problem()
        self.completeChanged.emit()

    def _show_problem(self) -> None:
        layout = self._owner().mapping
        problem = layout.problem if layout is not None else None
        self.problem_label.setText(sentence(problem) + "." if problem else "")
        self.problem_label.setVisible(bool(problem))


class PreviewPage(_Page):
    """Every row and what will happen to it; its button imports."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("What will happen to each row"))
        self.setSubTitle(_("Nothing has been written yet. Duplicates and skipped rows are left out; "
                           "the import adds the rest in one go, or nothing at all."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, p_("import", "&Import"))
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.filter_combo = QComboBox()
        for label, _keep, _warned in FILTERS:
            self.filter_combo.addItem(p_("import filter", label))
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_current_index_changed)
        show = QLabel(p_("import", "&Show:"))
        show.setBuddy(self.filter_combo)
        top = QHBoxLayout()
        top.addWidget(self.counts_label, 1)
        top.addWidget(show)
        top.addWidget(self.filter_combo)
        self.model = VerdictModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        char = self.fontMetrics().averageCharWidth()
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        # Set widths, not measured ones (a file may have 100,000 rows); the details take the rest,
        # and a cell cut short is whole in its tooltip and, for the current row, in the line below.
        bold = QFont(header.font())
        bold.setBold(True)  # the style sheet's header weight
        heading = QFontMetrics(bold)
        outcomes = max(self.fontMetrics().horizontalAdvance(outcome_label(o)) for o in OUTCOME_LOOK)
        for column, width in enumerate((6, 17, 20, 18, 18)):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            fits = max(char * width + 16, heading.horizontalAdvance(title) + 24, outcomes + 16 if column == 1 else 0)
            self.view.setColumnWidth(column, fits)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(char * 4)
        self.row_label = QLabel()
        self.row_label.setObjectName("previewRow")
        self.row_label.setWordWrap(True)
        self.row_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row_label.setMinimumHeight(2 * self.fontMetrics().lineSpacing() + 4)
        self.row_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.model.modelReset.connect(self._on_model_model_reset)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.row_label)

    def initializePage(self) -> None:
        plan = self._owner().plan
        self.filter_combo.setCurrentIndex(0)
        self.model.set_plan(plan)
        self.counts_label.setText(describe_plan(plan) if plan is not None else "")
        self.view.setFocus()

    def isComplete(self) -> bool:
        plan = self._owner().plan
        return plan is not None and plan.imported > 0

    def _on_filter_combo_current_index_changed(self, index: int) -> None:
        _label, keep, warned = FILTERS[index] if 0 <= index < len(FILTERS) else FILTERS[0]
        self.model.set_plan(self._owner().plan, keep, warned)

    def _on_model_model_reset(self) -> None:
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
        else:
            self.row_label.setText(_("No rows to show here."))

    def _on_view_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The current row's whole sentence under the table (its cells may be cut short)."""
        self.row_label.setText(row_sentence(self.model.verdict(current.row())) if current.isValid() else "")


def describe_plan(plan: ImportPlan) -> str:
    """The preview's counts, as rich text (the counts each by the language's plural rule)."""
    def number(n: int) -> str:
        return formats.number(n)

    head = n_("{n} person will be imported", "{n} people will be imported", plan.imported).format(
        n=number(plan.imported))
    parts = [f"<b>{head}</b>"]
    if plan.imported:
        detail = [n_("{n} new to the roster", "{n} new to the roster", plan.new_people).format(
            n=number(plan.new_people))]
        if plan.reused_people:
            # Translators: people of the file who are in the roster already ("… new to the roster, 3 already in it").
            detail.append(n_("{n} already in it", "{n} already in it", plan.reused_people).format(
                n=number(plan.reused_people)))
        if plan.organisations_added:
            n = plan.organisations_added
            detail.append(n_("{n} new organisation", "{n} new organisations", n).format(n=number(n)))
        parts[0] += f" ({', '.join(detail)})"
    parts.append(n_("{n} duplicate", "{n} duplicates", plan.duplicates).format(n=number(plan.duplicates)))
    # Translators: rows of the file that are skipped (not imported).
    parts.append(n_("{n} skipped", "{n} skipped", plan.skipped).format(n=number(plan.skipped)))
    return " · ".join(parts)


class ImportPage(_Page):
    """Runs the import with a progress bar; goes on to the report when it is done."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Importing"))
        self.setSubTitle(_("Everything is written in one transaction: cancel, and nothing is imported."))
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.progress.setRange(0, 0)
        self.status_label.setText(_("Reading what the event already holds…"))
        self._owner().start_import()

    def isComplete(self) -> bool:
        return self._owner().report is not None

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        plan = self._owner().plan
        n = plan.imported if plan is not None else total
        self.status_label.setText(n_("Registering {n} person and adding them to the roster…",
                                     "Registering {n} people and adding them to the roster…", n).format(
            n=formats.number(n)))

    def show_failure(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status_label.setText(message)


class ReportPage(_Page):
    """What the import did."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Import finished"))
        self.setSubTitle(_("The people are registered for the event. Rows left out are listed below."))
        self.summary_label = QLabel()
        self.summary_label.setFont(style.scaled_font(self.font(), 1.2, bold=True))
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setObjectName("pageSubtitle")
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.copy_button = QPushButton(_("&Copy report"))
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.details_label)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        report = self._owner().report
        if report is None:
            return
        self.summary_label.setText(report.summary())
        self.details_label.setText(report.details())
        lines = report.problem_lines()
        self.problems.setPlainText("\n".join(lines) if lines else _("Every row of the file was imported."))

    def report_text(self) -> str:
        report = self._owner().report
        if report is None:
            return ""
        return "\n".join([report.details(), report.summary(), *report.problem_lines()])

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())


class ImportWizard(QWizard):
    """Import a list of attendees into one event.

    Signals:
        imported(object): the import was committed; carries the ``ImportReport``.
    """

    imported = Signal(object)

    def __init__(self, database: Database, event_id: int, lang: str = "en",
                 parent: QWidget | None = None, settings: QSettings | None = None,
                 start_file: Path | None = None) -> None:
        """``start_file``: a file to import (given on the command line): it is filled in, and
        once the wizard is shown it is read and its columns shown (it stays on the first page,
        with the reason, when the file cannot be used)."""
        super().__init__(parent)
        self._database = database
        self._event_id = event_id
        self._settings = settings
        with database.read() as session:
            self.event_title = text(resolve_event(session, event_id).title, lang) or _("Untitled event")
        self.source: SourceTable | None = None  # the file as read
        self.mapping: Layout | None = None      # its header and columns
        self.plan: ImportPlan | None = None
        self.report: ImportReport | None = None
        self.last_error: str | None = None
        self._thread: QThread | None = None
        self._worker: _ImportWorker | None = None

        self.setWindowTitle(_("Import attendees"))
        self.setWindowIcon(style.icon("app"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Back"))
        self.setMinimumSize(860, 600)

        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        self.report_page = ReportPage(self)
        for page_id, page in ((FILE_PAGE, self.file_page), (MAPPING_PAGE, self.mapping_page),
                              (PREVIEW_PAGE, self.preview_page), (IMPORT_PAGE, self.import_page),
                              (REPORT_PAGE, self.report_page)):
            self.setPage(page_id, page)
        self.setStartId(FILE_PAGE)
        if start_file is not None:
            self.file_page.path_edit.setText(str(start_file))
            # Read once the wizard is shown: a message box about the file then has a parent on screen.
            QTimer.singleShot(0, self._on_start_file_timer_timeout)

    def _on_start_file_timer_timeout(self) -> None:
        if self.currentId() == FILE_PAGE:
            self.next()

    # -- steps ------------------------------------------------------------------------

    def start_folder(self) -> str:
        if self._settings is not None:
            folder = self._settings.value(FOLDER)
            if folder and Path(str(folder)).is_dir():
                return str(folder)
        return str(Path.home())

    def load_file(self, path: Path) -> bool:
        """Read ``path`` and guess its columns; tell the user and stay when it cannot be used."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.source, self.mapping = open_source(path)
        except (ImportFileError, MappingError) as exc:
            self.source = self.mapping = None
            self._error(_("This file cannot be imported"), str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        if self._settings is not None:
            self._settings.setValue(FOLDER, str(path.parent))
        return True

    def remap(self, assignment: dict[int, str | None]) -> None:
        """Apply the columns' fields as the user set them."""
        if self.source is None:
            return
        try:
            self.mapping = detect_layout(self.source, assignment)  # type: ignore[arg-type]
        except (ImportFileError, MappingError) as exc:
            self._error(_("This mapping cannot be used"), str(exc))

    def validateCurrentPage(self) -> bool:
        if self.currentId() == MAPPING_PAGE:
            return self._make_plan()
        return super().validateCurrentPage()

    def _make_plan(self) -> bool:
        assert self.source is not None and self.mapping is not None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.plan = preview_import(self._database, self.source, self.mapping, self._event_id)
        except (ImportFileError, EventMissing) as exc:
            self._error(_("Cannot preview the import"), error_sentence(exc))
            return False
        except SQLAlchemyError as exc:
            self._error(_("Cannot read the database"), error_sentence(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        return True

    def start_import(self) -> None:
        if self._thread is not None or self.report is not None:
            return
        assert self.source is not None and self.mapping is not None
        table, layout, database, event_id = self.source, self.mapping, self._database, self._event_id

        def job(progress: Callable[[int, int], None]) -> ImportReport:
            return import_attendees(database, table, event_id, layout=layout, progress=progress)

        self._worker = _ImportWorker(job)
        self._thread = QThread(self)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._on_worker_progressed)
        self._worker.succeeded.connect(self._on_worker_succeeded)
        self._worker.failed.connect(self._on_worker_failed)
        self._worker.cancelled.connect(self._on_worker_cancelled)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread is not None

    def wait_for_import(self) -> None:
        """Block until a running import has finished (rolled back or committed)."""
        if self._thread is not None:
            self._thread.wait()

    # -- slots ------------------------------------------------------------------------

    @Slot(int, int)  # the worker's signals come from its thread: real slots (desk/page.py says why)
    def _on_worker_progressed(self, done: int, total: int) -> None:
        self.import_page.show_progress(done, total)

    @Slot(object)
    def _on_worker_succeeded(self, report: object) -> None:
        assert isinstance(report, ImportReport)
        self._finish_thread()
        self.report = report
        self.import_page.completeChanged.emit()
        self.imported.emit(report)
        if self.currentId() == IMPORT_PAGE:
            self.next()

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self._finish_thread()
        self.import_page.show_failure(message)
        self._error(_("The import failed"), message)
        self.reject()

    @Slot()
    def _on_worker_cancelled(self) -> None:
        self._finish_thread()
        super().reject()

    def reject(self) -> None:
        if self._worker is not None:
            self._worker.cancel()  # the rollback ends in _on_worker_cancelled
            self.import_page.status_label.setText(_("Cancelling: nothing will be imported…"))
            return
        super().reject()

    def _finish_thread(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread = None
        self._worker = None

    def _error(self, title: str, message: str) -> None:
        self.last_error = sentence(message)
        QMessageBox.warning(self, title, self.last_error)
