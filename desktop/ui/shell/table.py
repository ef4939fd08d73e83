"""A plain table model over rows that core already queried, the view settings we share, and
the note an empty table shows.

Filtering happens in SQL (core); the model only shows and sorts the rows it is given. No
``QSortFilterProxyModel``: at 100k rows a proxy costs seconds where resetting this model
costs milliseconds (``design.md``).

An empty table is never just blank: ``EmptyNote`` lies over its viewport and says why
("No matches for “…”", from ``no_matches``) or what to do (a list with nothing in it yet).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QHeaderView, QLabel, QTableView

from desktop.core import collation
from desktop.core.language import N_, _, interface_language
from desktop.ui.shell import style

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column: its header, what a row shows in it, and how it sorts.

    ``width`` is in average characters of the view's font; ``0`` makes the column take
    the room that is left.
    """

    title: str
    display: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None
    width: int = 16
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    tooltip: Callable[[Any], str | None] | None = None
    foreground: Callable[[Any], QColor | None] | None = None
    bold: Callable[[Any], bool] | None = None


def column_header(columns: Sequence[Column], section: int, orientation: Qt.Orientation, role: int) -> Any:
    """``headerData`` of a table model showing ``columns``: each column's title across the
    top, aligned like its cells; nothing down the side."""
    if orientation == Qt.Orientation.Horizontal and 0 <= section < len(columns):
        if role == Qt.ItemDataRole.DisplayRole:
            return columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return columns[section].align | Qt.AlignmentFlag.AlignVCenter
    return None


def _text_key(spec: Column) -> Callable[[Any], Any]:
    """A column's cells by their text, in the interface language's alphabet (Ё with Е, the
    Kazakh letters in their places: ``desktop.core.collation``); "" for an empty cell."""
    text_key, lang = collation.key, interface_language()

    def key(row: Any) -> Any:
        shown = spec.display(row)
        return text_key(shown, lang) if shown else ""

    return key


class RowTableModel(QAbstractTableModel):
    """Rows of one kind (frozen dataclasses from core) shown through ``Column``s.

    ``set_rows`` replaces everything (a model reset); ``sort`` reorders the rows in place
    and keeps persistent indexes (the selection) on their rows. Sorting by column ``-1``
    restores the order core gave.
    """

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._natural: list[Any] = []
        self._rows: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    # -- content ----------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._natural = list(rows)
        self._rows = self._sorted(self._natural, *self._sort)
        self.endResetModel()

    def rows(self) -> list[Any]:
        """The rows in the order shown."""
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    # -- QAbstractItemModel -----------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._columns):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(row)
        if role == Qt.ItemDataRole.FontRole and column.bold is not None and column.bold(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return column_header(self._columns, section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column >= len(self._columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        self._rows = self._sorted(self._natural, column, order)
        position = {id(row): i for i, row in enumerate(self._rows)}
        old = self.persistentIndexList()
        new = [
            self.index(position[id(old_rows[ix.row()])], ix.column()) if ix.isValid() else QModelIndex()
            for ix in old
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _sorted(self, rows: list[Any], column: int, order: Qt.SortOrder) -> list[Any]:
        if column < 0:
            return list(rows)
        spec = self._columns[column]
        key = spec.sort_key or _text_key(spec)

        def safe(row: Any) -> tuple[bool, Any]:
            value = key(row)
            return (value is None or value == "", value if value is not None else "")

        ordered = sorted(rows, key=safe)
        if order == Qt.SortOrder.DescendingOrder:
            # Empty cells stay at the bottom either way.
            filled = [r for r in ordered if not safe(r)[0]]
            empty = [r for r in ordered if safe(r)[0]]
            ordered = filled[::-1] + empty
        return ordered


def configure_table(view: QTableView, model: RowTableModel) -> None:
    """The settings every table here shares: set once, when the view is made."""
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionsMovable(False)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    detach_header_selection(view)
    set_column_widths(view, model.columns)


def detach_header_selection(view: QTableView) -> None:
    """Give the column header a selection of its own, always empty, instead of the view's.

    A header paints each title with whether the columns beside it are selected (its style
    option's ``selectedPosition``, whatever ``highlightSections`` says), and Qt tells that
    by asking the model for the flags of every cell of the column within the selection:
    after a select-all of 100,000 rows, some 700,000 calls into Python's ``flags()`` and
    1.5 s of a frozen window at the next paint. Rows are what is selected here, never
    columns, so the header has nothing to show of it. ``QTableView.setModel`` gives the
    header the view's selection again: call this after it.
    """
    header = view.horizontalHeader()
    model = view.model()
    if model is not None:
        header.setSelectionModel(QItemSelectionModel(model, header))


def set_column_widths(view: QTableView, columns: Sequence[Column]) -> None:
    """Widths from each column's character count; the ``width == 0`` column stretches."""
    char = view.fontMetrics().averageCharWidth()
    header = view.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)  # the style sheet's header weight
    header_metrics = QFontMetrics(bold)
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(char * 5)
    for i, column in enumerate(columns):
        if column.width == 0:
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
            # Room for the title and the sort arrow beside it, at least.
            title = header_metrics.horizontalAdvance(column.title) + 40
            view.setColumnWidth(i, max(column.width * char + 24, title))


CLEAR_SEARCH = N_("Press Esc in the search field to clear it.")
"""The second line of an empty search's note (a message: shown as ``_(CLEAR_SEARCH)``)."""


def no_matches(search: str, *, filtered: bool = False) -> str:
    """The first line of an empty search's note: "No matches for “…”." (with these filters),
    in the interface language."""
    quoted = " ".join(search.split())
    if filtered:
        # Translators: {search} is what was typed in the search field.
        return _("No matches for “{search}” with these filters.").format(search=quoted)
    return _("No matches for “{search}”.").format(search=quoted)


class EmptyNote(QLabel):
    """A note over the viewport of an empty table, centred: why nothing shows, or what to do.

    ``say(text)`` shows ``text`` (lines apart with "\\n"); ``say("")`` hides the note. It keeps
    to the viewport's size by itself, and clicks go through it to the table.
    """

    def __init__(self, view: QAbstractScrollArea) -> None:
        super().__init__(view.viewport())
        self.setObjectName("emptyListLabel")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {style.MUTED};")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        view.viewport().installEventFilter(self)
        self.hide()

    def say(self, text: str) -> None:
        self.setText(text)
        self._fit()
        self.setVisible(bool(text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect().adjusted(20, 20, -20, -20))
