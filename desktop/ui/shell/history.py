"""The history in the window (issue 15 part 4): who changed what, when, from what to what.

* Edit → History of Selection… (Ctrl+Shift+H): the history of the session or agenda item
  selected in the Agenda (with its people on stage), of the person selected in People, or of
  the registration selected in Registrations — a dialog listing when (this computer's time),
  who, what and from → to, newest first.
* Edit → Event History…: the same for the whole event, a page at a time.
* File → Export History…: the event's history as .xlsx or .csv (``desktop.exports.history``),
  with a progress dialog.
* Edit → Your Name in the History…: the name this workstation's edits carry in the history
  (kept in the settings, ``history/author``, like the desk's name; applied with
  ``desktop.core.authors.set_author`` when the window starts). Until it is set, the first
  edit says in the status bar under which name edits are recorded and where to change it.
"""

from __future__ import annotations

import uuid as uuid_mod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core import formats
from desktop.core.language import NP_, _, n_, p_
from desktop.ui.shell import style

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from db.engine import Database
    from desktop.core.history import HistoryEntry

AUTHOR_KEY = "history/author"
"""The settings' key of this workstation's name in the history."""
PAGE = 500
"""Lines of an event's history read at a time."""

COLUMNS: tuple[str, ...] = (
    NP_("history column", "When"), NP_("history column", "Who"), NP_("history column", "What"),
    NP_("history column", "Which"), NP_("history column", "Change"), NP_("history column", "From"),
    NP_("history column", "To"),
)


def apply_author(settings: QSettings) -> str:
    """Give the history the name kept in ``settings`` (none kept: the computer's user name);
    returns the name kept, or ""."""
    from desktop.core.authors import set_author

    name = str(settings.value(AUTHOR_KEY, "") or "").strip()
    set_author(name)
    return name


class HistoryModel(QAbstractTableModel):
    """History lines as a table (read only)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[HistoryEntry] = []

    def set_entries(self, entries: Sequence[HistoryEntry], *, more: bool = False) -> None:
        self.beginResetModel()
        self.entries = [*self.entries, *entries] if more else list(entries)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return p_("history column", COLUMNS[section])
        return None

    def text(self, row: int, column: int) -> str:
        entry = self.entries[row]
        if column == 0:
            at = entry.local_at
            return f"{formats.date(at.date(), style='medium')} {formats.time(at)}"
        return (entry.author, entry.kind, entry.subject, entry.what, entry.old, entry.new)[column - 1]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.text(index.row(), index.column())
            return text if len(text) <= 200 else text[:199] + "…"
        if role == Qt.ItemDataRole.ToolTipRole and index.column() >= 5:
            text = self.text(index.row(), index.column())
            return text if len(text) > 40 else None
        return None


class HistoryDialog(QDialog):
    """A history: when, who, what, from → to, newest first; an event's a page at a time."""

    def __init__(self, database: Database, title: str, *, table: str | None = None,
                 row_uuid: uuid_mod.UUID | None = None, event_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.database, self.table, self.row_uuid, self.event_id = database, table, row_uuid, event_id
        self.setWindowTitle(title)
        self.resize(960, 520)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        heading.setWordWrap(True)
        heading.setFont(style.scaled_font(self.font(), 1.15, bold=True))
        self.model = HistoryModel(self)
        self.view = QTableView()
        self.view.setObjectName("historyView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setMinimumSectionSize(60)
        for column in range(len(COLUMNS)):  # short words fit; the names and values share the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column in (3, 5, 6)
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.view.setAccessibleName(title)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.more_button = QPushButton(_("Show &Older Changes"))
        self.more_button.setObjectName("moreButton")
        self.more_button.clicked.connect(self._on_more_button_clicked)
        buttons.addButton(self.more_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self._total = 0
        self._notes: list[str] = []
        self.load()
        self.view.setFocus()

    def load(self, *, more: bool = False) -> None:
        """Read the history (the next page of an event's, with ``more``)."""
        from desktop.core.history import event_history, history_of

        with self.database.read() as session:
            if self.event_id is not None:
                page = event_history(session, self.event_id, offset=len(self.model.entries) if more else 0,
                                     limit=PAGE)
                entries, self._total, self._notes = page.entries, page.total, page.notes
            else:
                assert self.table is not None and self.row_uuid is not None
                entries = history_of(session, self.table, self.row_uuid)
                self._total = len(entries)
        self.model.set_entries(entries, more=more)
        shown = len(self.model.entries)
        self.more_button.setVisible(shown < self._total)
        lines: list[str] = []
        if not shown:
            lines.append(_("No changes are recorded yet."))
        elif shown < self._total:
            lines.append(n_("The newest {shown} of {total} change.", "The newest {shown} of {total} changes.",
                            self._total).format(shown=formats.number(shown), total=formats.number(self._total)))
        lines += self._notes
        self.note.setText(" ".join(lines))
        self.note.setVisible(bool(lines))

    def _on_more_button_clicked(self) -> None:
        self.load(more=True)


class AuthorDialog(QDialog):
    """Asks the name this workstation's edits carry in the history."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Your Name in the History"))
        intro = QLabel(_("Every change is recorded with the name of whoever made it, so that the organisers "
                         "working on the same database can tell who changed what."))
        intro.setWordWrap(True)
        self.name = QLineEdit(name)
        self.name.setMaxLength(80)
        self.name.setObjectName("authorName")
        form = QFormLayout()
        form.addRow(_("Your &name:"), self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)


def selected_row(window: Any) -> tuple[str, int] | None:
    """(table, id) of what is selected in the section on show: a session or agenda item, a
    person, a registration; None when nothing is."""
    from desktop.ui.shell.window import AGENDA, PEOPLE, REGISTRATIONS

    section = window.current_section()
    page = window._pages[section] if 0 <= section < len(window._pages) else None
    if page is None:
        return None
    if section == AGENDA:
        key = page.current_key() if hasattr(page, "current_key") else None
        if key is None:
            timetable = getattr(page, "_timetable", None)
            item = timetable.selected_item() if timetable is not None and timetable.isVisible() else None
            key = ("item", item) if item is not None else None
        if key is not None:
            return ("session" if key[0] == "session" else "agenda_item", int(key[1]))
    elif section == PEOPLE and hasattr(page, "selected_people"):
        ids = page.selected_people()
        return ("person", ids[0]) if ids else None
    elif section == REGISTRATIONS and hasattr(page, "selected_ids"):
        ids = page.selected_ids()
        return ("registration", ids[0]) if ids else None
    return None


class HistoryActions(QObject):
    """The window's history actions (see the module's docstring)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.row_action = QAction(_("&History of Selection…"), window)
        self.row_action.setObjectName("historyOfSelection")
        self.row_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.row_action.setStatusTip(_("Who changed the selected session, item, person or registration, and when"))
        self.row_action.triggered.connect(self.show_selected)
        self.event_action = QAction(_("Event Histor&y…"), window)
        self.event_action.setStatusTip(_("Every change to the event, newest first"))
        self.event_action.triggered.connect(self.show_event)
        self.export_action = QAction(_("Export &History…"), window)
        self.export_action.setStatusTip(_("Save the event's history of changes as an Excel workbook or a CSV file"))
        self.export_action.triggered.connect(self.export)
        self.author_action = QAction(_("Your &Name in the History…"), window)
        self.author_action.setStatusTip(_("The name your changes carry in the history"))
        self.author_action.triggered.connect(self.ask_author)
        self._told = bool(apply_author(window.settings))
        window.edits.data_changed.connect(self._on_edits_data_changed)

    def actions(self) -> list[QAction]:
        return [self.row_action, self.event_action, self.export_action, self.author_action]

    # -- the history of a row, of the event ----------------------------------------------

    def show_selected(self) -> None:
        selected = selected_row(self.window)
        if selected is None:
            QMessageBox.information(self.window, _("History"), _(
                "Select a session or agenda item in the Agenda, a person in People or a registration in "
                "Registrations, then ask for its history."))
            return
        self.show_row(*selected)

    def show_row(self, table: str, row_id: int) -> HistoryDialog | None:
        from sqlalchemy import select

        from db.models import Base
        from desktop.core.history import ROW_KINDS

        source = Base.metadata.tables[table]
        with self.window.database.read() as session:
            row_uuid = session.scalar(select(source.c.uuid).where(source.c.id == row_id))
        if row_uuid is None:
            return None
        dialog = HistoryDialog(self.window.database, "", table=table, row_uuid=row_uuid, parent=self.window)
        subject = next((e.subject for e in dialog.model.entries if e.table == table), "")
        kind = p_("history row", ROW_KINDS[table])
        # Translators: the title of a row's history: {what} is its kind ("Person"), {name} which one.
        title = _("History — {what}: {name}").format(what=kind, name=subject) if subject else \
            _("History — {what}").format(what=kind)
        dialog.setWindowTitle(title)
        dialog.findChild(QLabel, "dialogTitle").setText(title)  # type: ignore[union-attr]
        dialog.show()
        return dialog

    def show_event(self) -> HistoryDialog | None:
        detail = self.window.detail
        if detail is None:
            return None
        dialog = HistoryDialog(self.window.database, _("History of the event"), event_id=detail.summary.id,
                               parent=self.window)
        dialog.show()
        return dialog

    # -- export ------------------------------------------------------------------------------

    def export(self, path: str | None = None) -> bool:
        """Export the event's history to ``path`` (asked when not given); True when written."""
        from desktop.exports.history import ExportCancelled, ExportError, export_history

        detail = self.window.detail
        if detail is None:
            return False
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self.window, _("Export History"), "history.xlsx",
                _("Excel workbook (*.xlsx);;CSV file (*.csv)"))
            if not path:
                return False
        progress = QProgressDialog(_("Writing the history…"), _("Cancel"), 0, 0, self.window)
        progress.setWindowTitle(_("Export History"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def step(done: int, total: int) -> bool:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            return not progress.wasCanceled()

        bar = getattr(self.window, "event_bar", None)
        lang = bar.language if bar is not None else "en"  # the texts' language the window shows
        try:
            export_history(self.window.database, path, detail.summary.id, lang, progress=step)
        except ExportCancelled:
            return False
        except (ExportError, ValueError) as exc:
            QMessageBox.warning(self.window, _("Export History"), str(exc))
            return False
        finally:
            progress.close()
        self.window.statusBar().showMessage(_("History saved to {path}").format(path=path), 8000)
        return True

    # -- the name in the history ---------------------------------------------------------------

    def ask_author(self) -> bool:
        from desktop.core.authors import author

        dialog = AuthorDialog(author(), self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.set_author_name(dialog.name.text())
        return True

    def set_author_name(self, name: str) -> None:
        self.window.settings.setValue(AUTHOR_KEY, " ".join(name.split())[:80])
        apply_author(self.window.settings)
        self._told = True

    def _on_edits_data_changed(self, _changed: object) -> None:
        if self._told:
            return
        self._told = True
        from desktop.core.authors import author

        self.window.statusBar().showMessage(_(
            "Your changes are recorded in the history as “{name}”: Edit → Your Name in the History… "
            "changes it.").format(name=author() or "—"), 15000)


__all__ = ["AUTHOR_KEY", "AuthorDialog", "HistoryActions", "HistoryDialog", "HistoryModel", "apply_author",
           "selected_row"]
