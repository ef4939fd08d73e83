"""The roster's table model: the database searches, sorts and counts; the model holds the
count and the windows of rows the view has asked for, so the People section opens on
100,000 people as fast as on 100.

As the Registrations table's model (``desktop.ui.registrations.page``): the first windows
by name come by LIMIT/OFFSET straight from the name keys' index; deeper ones, every other
sort (``desktop.core.roster_list`` sorts those by the interface language's collation) and
selections read the ordered ids once and fetch rows by id. No proxy model; nothing reads
the whole roster into ``PersonRow``s.

``rows_read`` counts the rows made since the source was set, for the tests that make
sure switching to the section does not read everyone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from desktop.core import vocabulary
from desktop.core.language import _, p_
from desktop.core.people import PersonRow
from desktop.core.roster_list import (
    Positions,
    RosterColumn,
    RosterSearch,
    RosterSort,
    count_people,
    people_ids,
    people_rows,
    people_window,
    prepare,
)
from desktop.ui.shell.table import Column, column_header

ModelIndex = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 100        # rows read at a time (a window shows some 30)
OFFSET_PAGES = 10      # windows read by LIMIT/OFFSET; deeper ones by id (one ordered id list)
CACHED_PAGES = 128     # windows kept (12,800 rows); the least recently used go first

_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _role(row: PersonRow) -> str:
    """The person's roles in the event ("Moderator, Speaker"); core gives their stored values."""
    return ", ".join(vocabulary.role(value) for value in row.roles.split(", ") if value)


def people_columns() -> tuple[Column, ...]:
    """The roster's columns, headed in the interface language."""
    return (
        Column(p_("person", "Name"), lambda r: r.name, sort_key=lambda r: r.sort_key, width=34,
               tooltip=lambda r: r.name),
        Column(_("Position"), lambda r: r.position, width=20, tooltip=lambda r: r.position or None),
        Column(_("Organisation"), lambda r: r.organisation, width=0, tooltip=lambda r: r.organisation or None),
        Column(_("Sector"), lambda r: vocabulary.sector(r.sector) if r.sector else "", width=18,
               tooltip=lambda r: vocabulary.sector(r.sector) if r.sector else None),
        Column(_("Country"), lambda r: r.country, width=7, align=Qt.AlignmentFlag.AlignHCenter),
        Column(_("E-mail"), lambda r: r.email, width=22, tooltip=lambda r: r.email or None),
        Column(_("Role in this event"), _role, width=26, bold=lambda r: bool(r.roles),
               tooltip=lambda r: _role(r) or None),
    )


class PeopleModel(QAbstractTableModel):
    """The roster as the database searches and sorts it, a window of ``PersonRow``s at a time.

    ``set_source`` names the database, the event (whose roles the last column shows) and the
    list's language; ``set_search`` and ``sort`` run a new query (a model reset, or a layout
    change that keeps the selection on its people); ``refresh`` reads again after the
    roster changed.

    Signals:
        loaded(): a query ran and the model shows its result.
    """

    loaded = Signal()

    NAME, POSITION, ORGANISATION, SECTOR, COUNTRY, EMAIL, ROLE = range(7)
    SORTS = tuple(RosterColumn)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = people_columns()
        self._database: Database | None = None
        self._event_id: int | None = None
        self._lang = "en"
        self._text = ""
        self._search: RosterSearch | None = None
        self._positions: Positions | None = None
        self._sort = RosterSort()
        self._total = 0
        self._everyone = 0
        self._pages: OrderedDict[int, list[PersonRow]] = OrderedDict()
        self._ids: list[int] | None = None
        self.rows_read = 0
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what is shown ------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def total(self) -> int:
        """How many people the search keeps."""
        return self._total

    @property
    def everyone(self) -> int:
        """How many people the roster holds (searched or not)."""
        return self._everyone

    @property
    def search_text(self) -> str:
        return self._text

    def set_source(self, database: Database | None, event_id: int | None, lang: str = "en") -> None:
        """Show the roster of ``database`` with the roles in ``event_id``; nothing is read until
        ``set_search`` (or ``refresh``)."""
        self._database, self._event_id, self._lang = database, event_id, lang
        self._search, self._positions, self._everyone = None, None, -1
        self.rows_read = 0

    def set_search(self, text: str) -> None:
        """Keep the people ``text`` finds (every word begins a word of their names, e-mail,
        position or organisation; other layouts and spellings too)."""
        if text == self._text and self._search is not None:
            return
        self._text = text
        self.reload()

    def refresh(self) -> None:
        """Read again after the roster changed (the positions searched too)."""
        self._positions = None
        self._everyone = -1
        self.reload()

    def reload(self) -> None:
        """Run the query again."""
        self.beginResetModel()
        try:
            self._clear()
            if self._database is not None:
                try:
                    self._query()
                except SQLAlchemyError:
                    self._clear()  # shown empty; the next refresh reads it again
        finally:
            self.endResetModel()
        self.loaded.emit()

    def _clear(self) -> None:
        self._pages.clear()
        self._ids = None
        self._total = 0

    def _query(self) -> None:
        assert self._database is not None
        with self._database.read_raw() as reader:
            if self._text.strip() and self._positions is None:
                self._positions = Positions.read(reader)
            self._search = prepare(reader, self._text, self._positions)
            everyone = self._everyone
            if everyone < 0 or not self._search.searching:
                everyone = count_people(reader, prepare(reader, ""))
            self._everyone = everyone
            self._total = count_people(reader, self._search) if self._search.searching else everyone
            if self._total:
                self._pages[0] = self._read(reader, 0)

    def _read(self, reader: Any, number: int) -> list[PersonRow]:
        """The ``number``-th window of rows (by LIMIT/OFFSET near the top of a list by name,
        else from the ordered ids)."""
        assert self._search is not None
        start = number * PAGE_SIZE
        if self._sort.column is RosterColumn.NAME and number < OFFSET_PAGES and self._ids is None:
            ids = people_window(reader, self._search, self._lang, offset=start, limit=PAGE_SIZE,
                                descending=self._sort.descending)
        else:
            ids = self._all_ids(reader)[start:start + PAGE_SIZE]
        rows = people_rows(reader, ids, self._lang, self._event_id)
        self.rows_read += len(rows)
        return rows

    def _all_ids(self, reader: Any = None) -> list[int]:
        if self._ids is None and self._database is not None and self._search is not None:
            if reader is None:
                with self._database.read_raw() as own:
                    self._ids = people_ids(own, self._search, self._sort, self._lang, self._event_id)
            else:
                self._ids = people_ids(reader, self._search, self._sort, self._lang, self._event_id)
        return self._ids or []

    def row_at(self, row: int) -> PersonRow | None:
        """The person shown in ``row`` (read from the database if need be); None when gone."""
        if not 0 <= row < self._total:
            return None
        number, at = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return page[at] if at < len(page) else None

    def _fetch(self, number: int) -> list[PersonRow]:
        if self._database is None or self._search is None:
            return []
        try:
            with self._database.read_raw() as reader:
                rows = self._read(reader, number)
        except SQLAlchemyError:
            return []  # shown blank; the next refresh reads it again
        self._pages[number] = rows
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return rows

    def rows(self) -> list[PersonRow]:
        """Every row the search keeps, in order (reads them all: for small lists and tests)."""
        return [r for r in (self.row_at(i) for i in range(self._total)) if r is not None]

    def ids_of(self, rows: Sequence[int]) -> list[int]:
        """The ids of the people shown in ``rows``. Many rows (a select-all) are read as the
        ordered ids, once, not a window at a time."""
        if len(rows) > PAGE_SIZE * OFFSET_PAGES:
            ids = self._all_ids()
            return [ids[r] for r in rows if 0 <= r < len(ids)]
        out = []
        for row in rows:
            found = self.row_at(row)
            if found is not None:
                out.append(found.id)
        return out

    def row_of(self, person_id: int) -> int:
        """The row showing ``person_id``, -1 when the search does not keep them (the rows
        read so far first; else the ordered ids)."""
        for number, page in self._pages.items():
            for at, row in enumerate(page):
                if row.id == person_id:
                    return number * PAGE_SIZE + at
        try:
            return self._all_ids().index(person_id)
        except (ValueError, SQLAlchemyError):
            return -1

    # -- QAbstractItemModel -------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self._columns):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.FontRole and column.bold is not None and column.bold(row):
            return self._bold
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return column_header(self._columns, section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (-1: the list's own order, by name); the people selected stay
        selected, on their new rows."""
        if column >= len(self._columns):
            return
        sort = RosterSort() if column < 0 else RosterSort(self.SORTS[column], order == Qt.SortOrder.DescendingOrder)
        if sort == self._sort:
            return
        self._sort = sort
        old = self.persistentIndexList()
        if not old or self._search is None:
            self.reload()
            return
        # Keep the selection (and the current row) on their people: their rows in the new order.
        self.layoutAboutToBeChanged.emit()
        people = [self.row_at(ix.row()) for ix in old]
        self._pages.clear()
        self._ids = None
        try:
            position = {pid: i for i, pid in enumerate(self._all_ids())}
        except SQLAlchemyError:
            position = {}
        new = [self.index(position[p.id], ix.column()) if p is not None and p.id in position else QModelIndex()
               for p, ix in zip(people, old, strict=True)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


__all__ = ["PeopleModel", "people_columns", "PAGE_SIZE"]
