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

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QFont
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from desktop.core import vocabulary
from desktop.core.language import _, p_
from desktop.core.people import PersonRow
from desktop.core.person_search import AlsoFound
from desktop.core.roster_list import (
    Positions,
    RosterColumn,
    RosterSearch,
    RosterSort,
    also_found,
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
BACKGROUND_FROM = 5000  # a roster this large is searched and sorted off the GUI thread
IDLE_SECONDS = 10.0     # the searching thread ends after this long without work

_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_DISPLAY, _ALIGNMENT, _FONT, _TOOLTIP, _USER = (
    Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.TextAlignmentRole.value, Qt.ItemDataRole.FontRole.value,
    Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.UserRole.value)
_ANSWERED = frozenset({_DISPLAY, _ALIGNMENT, _FONT, _TOOLTIP, _USER})  # the roles ``data`` answers


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


@dataclass(frozen=True)
class _Ask:
    """What a query reads: the search text and the sort, with what the model knows already
    (the positions searched, everyone's count: -1 when it must be counted)."""

    text: str
    sort: RosterSort
    lang: str
    event_id: int | None
    positions: Positions | None
    everyone: int
    all_ids: bool  # read every id in the sort's order (to keep a selection on its people)


@dataclass(frozen=True)
class _View:
    """What a query read, shown by the model whole."""

    ask: _Ask
    search: RosterSearch
    positions: Positions | None
    everyone: int
    total: int
    ids: list[int] | None   # every id in order (a sort other than by name, or asked for)
    first: list[PersonRow]  # the first window
    also: list[AlsoFound]


def _read_view(database: Database, ask: _Ask, *, in_thread: bool = False) -> _View:
    """Run ``ask`` in one read transaction (on any thread: nothing here touches Qt;
    ``in_thread``: beside the window's, which long reads let have the GIL)."""
    with database.read_raw() as reader:
        positions = ask.positions
        if ask.text.strip() and positions is None:
            positions = Positions.read(reader)
        search = prepare(reader, ask.text, positions)
        everyone = ask.everyone
        if everyone < 0 or not search.searching:
            everyone = count_people(reader, prepare(reader, ""))
        total = count_people(reader, search) if search.searching else everyone
        ids = None
        if total and (ask.all_ids or ask.sort.column is not RosterColumn.NAME):
            ids = people_ids(reader, search, ask.sort, ask.lang, ask.event_id, shared=in_thread)
        first: list[PersonRow] = []
        if total:
            window = ids[:PAGE_SIZE] if ids is not None else people_window(
                reader, search, ask.lang, offset=0, limit=PAGE_SIZE, descending=ask.sort.descending, total=total)
            first = people_rows(reader, window, ask.lang, ask.event_id)
        also = also_found(reader, ask.text) if total and search.searching else []
    return _View(ask, search, positions, everyone, total, ids, first, also)


class _Searcher(QObject):
    """Runs the latest query asked of it in a thread of its own, one at a time: a newer
    request replaces one not started yet (typing on makes the words typed before void).
    The thread ends after ``IDLE_SECONDS`` without work; the next request starts another.

    Python's cyclic collector is off while a query runs: a sort reads 100,000 rows, whose
    tuples set off full collections of the whole heap (40-100 ms each, the GIL held, the
    window frozen). The rows are freed by their counts as soon as they are read, so none is
    left for the collector when it is on again.

    Signals:
        read(int, object): on the GUI thread, the request's number and its ``_View``
            (None: the database refused it).
    """

    read = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Condition()
        self._next: tuple[int, Callable[[], _View]] | None = None
        self._running = False

    def ask(self, number: int, work: Callable[[], _View]) -> None:
        with self._lock:
            self._next = (number, work)
            if self._running:
                self._lock.notify()
                return
            self._running = True
        threading.Thread(target=self._run, name="people-search", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._next is None:
                    self._lock.wait(IDLE_SECONDS)
                if self._next is None:
                    self._running = False
                    return
                number, work = self._next
                self._next = None
            collecting = gc.isenabled()
            gc.disable()  # see below
            try:
                view: _View | None = work()
            except SQLAlchemyError:
                view = None  # the model shows the list empty; the next refresh reads it again
            finally:
                if collecting:
                    gc.enable()
            try:
                self.read.emit(number, view)
            except RuntimeError:
                return  # the model is gone


class PeopleModel(QAbstractTableModel):
    """The roster as the database searches and sorts it, a window of ``PersonRow``s at a time.

    ``set_source`` names the database, the event (whose roles the last column shows) and the
    list's language; ``set_search`` and ``sort`` run a new query (a model reset, or a layout
    change that keeps the selection on its people) — for a large roster in a thread
    (``in_background``: the model shows what it showed until the answer comes, ``busy``
    meanwhile); ``refresh`` reads again after the roster changed, at once.

    Signals:
        loaded(): a query ran and the model shows its result.
    """

    loaded = Signal()

    NAME, POSITION, ORGANISATION, SECTOR, COUNTRY, EMAIL, ROLE = range(7)
    SORTS = tuple(RosterColumn)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = people_columns()
        self._alignments = [column.align | Qt.AlignmentFlag.AlignVCenter for column in self._columns]
        self._database: Database | None = None
        self._event_id: int | None = None
        self._lang = "en"
        self._text = ""                 # the search asked for last
        self._search: RosterSearch | None = None  # the search shown
        self._positions: Positions | None = None
        self._sort = RosterSort()       # the sort asked for last (the header's)
        self._shown_sort = RosterSort()  # the order of the rows shown
        self._total = 0
        self._everyone = 0
        self._pages: OrderedDict[int, list[PersonRow]] = OrderedDict()
        self._recent = -1  # the window read last (the most recently used)
        self._ids: list[int] | None = None
        self._also: list[AlsoFound] = []
        self._asked = 0                 # the number of the latest query
        self._waiting: int | None = None  # the number of the query the thread runs for the model
        self._searcher = _Searcher(self)
        self._searcher.read.connect(self._on_searcher_read)
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
        """The search asked for last (shown, unless ``busy``)."""
        return self._text

    @property
    def also_found(self) -> list[AlsoFound]:
        """The readings of the search beyond the text as typed (another keyboard layout, the
        other alphabet) that found people the text as typed did not."""
        return self._also

    @property
    def in_background(self) -> bool:
        """Whether searches and sorts run in a thread (a roster of ``BACKGROUND_FROM`` people
        or more; known once the roster was read)."""
        return self._database is not None and self._everyone >= BACKGROUND_FROM

    @property
    def busy(self) -> bool:
        """Whether a query runs in the thread, its result not shown yet."""
        return self._waiting is not None

    def set_source(self, database: Database | None, event_id: int | None, lang: str = "en") -> None:
        """Show the roster of ``database`` with the roles in ``event_id``; nothing is read until
        ``set_search`` (or ``refresh``)."""
        self._database, self._event_id, self._lang = database, event_id, lang
        self._search, self._positions, self._everyone = None, None, -1
        self._asked, self._waiting = self._asked + 1, None
        self.rows_read = 0

    def set_search(self, text: str) -> None:
        """Keep the people ``text`` finds (every word begins a word of their names, e-mail,
        position or organisation; other layouts and spellings too)."""
        if text == self._text and self._search is not None:
            return
        self._text = text
        if self.in_background and self._search is not None:
            self._ask_thread(all_ids=False)
        else:
            self.reload()

    def refresh(self) -> None:
        """Read again after the roster changed (the positions searched too)."""
        self._positions = None
        self._everyone = -1
        self.reload()

    def reload(self) -> None:
        """Run the query again, now (a query under way in the thread is dropped)."""
        self._asked, self._waiting = self._asked + 1, None
        self.beginResetModel()
        try:
            self._clear()
            self._shown_sort = self._sort
            if self._database is not None:
                try:
                    self._show(_read_view(self._database, self._ask(all_ids=False)))
                except SQLAlchemyError:
                    self._clear()  # shown empty; the next refresh reads it again
        finally:
            self.endResetModel()
        self.loaded.emit()

    def _clear(self) -> None:
        self._pages.clear()
        self._recent = -1
        self._ids = None
        self._total = 0
        self._also = []

    def _ask(self, all_ids: bool) -> _Ask:
        return _Ask(self._text, self._sort, self._lang, self._event_id, self._positions, self._everyone, all_ids)

    def _ask_thread(self, all_ids: bool) -> None:
        """Run the query in the thread; ``_on_searcher_read`` shows its answer."""
        assert self._database is not None
        self._asked += 1
        self._waiting = self._asked
        database, ask = self._database, self._ask(all_ids)
        self._searcher.ask(self._asked, lambda: _read_view(database, ask, in_thread=True))

    def _show(self, view: _View) -> None:
        """Take what ``view`` read (inside a reset or a layout change)."""
        self._pages.clear()
        self._recent = -1
        self._search, self._positions = view.search, view.positions
        self._everyone, self._total, self._ids = view.everyone, view.total, view.ids
        self._shown_sort = view.ask.sort
        self._also = view.also
        if view.total:
            self._pages[0] = view.first
            self._recent = 0
            self.rows_read += len(view.first)

    @Slot(int, object)  # from the searching thread: a real slot (desk/page.py says why)
    def _on_searcher_read(self, number: int, view: _View | None) -> None:
        if number != self._waiting:
            return  # asked before the query shown, or dropped since
        self._waiting = None
        if (view is not None and view.ask.all_ids and view.ids is not None and self.persistentIndexList()
                and view.total == self._total):
            # A new order of the same people: the selection (and the current row) stay on
            # their people, on their new rows. (The indexes to move are those after the
            # signal: a selection model saves its own then.)
            self.layoutAboutToBeChanged.emit()
            old = self.persistentIndexList()
            people = [self.row_at(ix.row()) for ix in old]
            self._show(view)
            position = {pid: i for i, pid in enumerate(view.ids)}
            new = [self.index(position[p.id], ix.column()) if p is not None and p.id in position
                   else QModelIndex() for p, ix in zip(people, old, strict=True)]
            self.changePersistentIndexList(old, new)
            self.layoutChanged.emit()
        else:
            self.beginResetModel()
            self._clear()
            if view is not None:
                self._show(view)
            self.endResetModel()
        self.loaded.emit()

    def _read(self, reader: Any, number: int) -> list[PersonRow]:
        """The ``number``-th window of rows (by LIMIT/OFFSET near the top of a list by name,
        else from the ordered ids)."""
        assert self._search is not None
        start = number * PAGE_SIZE
        if self._shown_sort.column is RosterColumn.NAME and number < OFFSET_PAGES and self._ids is None:
            ids = people_window(reader, self._search, self._lang, offset=start, limit=PAGE_SIZE,
                                descending=self._shown_sort.descending, total=self._total)
        else:
            ids = self._all_ids(reader)[start:start + PAGE_SIZE]
        rows = people_rows(reader, ids, self._lang, self._event_id)
        self.rows_read += len(rows)
        return rows

    def _all_ids(self, reader: Any = None) -> list[int]:
        if self._ids is None and self._database is not None and self._search is not None:
            if reader is None:
                with self._database.read_raw() as own:
                    self._ids = people_ids(own, self._search, self._shown_sort, self._lang, self._event_id)
            else:
                self._ids = people_ids(reader, self._search, self._shown_sort, self._lang, self._event_id)
        return self._ids or []

    def row_at(self, row: int) -> PersonRow | None:
        """The person shown in ``row`` (read from the database if need be); None when gone."""
        if not 0 <= row < self._total:
            return None
        number, at = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number)
        elif number != self._recent:
            self._pages.move_to_end(number)  # (a paint asks one window a thousand times)
        self._recent = number
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
        # A paint asks each visible cell for some ten roles, this answers five: the others
        # go first, before any row is looked up (a repaint of the table is ~1,000 calls).
        if role not in _ANSWERED or not index.isValid():
            return None
        at = index.column()
        if at >= len(self._columns):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = self._columns[at]
        if role == _DISPLAY:
            return column.display(row)
        if role == _ALIGNMENT:
            return self._alignments[at]
        if role == _FONT:
            return self._bold if column.bold is not None and column.bold(row) else None
        if role == _TOOLTIP:
            return column.tooltip(row) if column.tooltip is not None else None
        return row  # UserRole

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return column_header(self._columns, section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (-1: the list's own order, by name); the people selected stay
        selected, on their new rows. A large roster is sorted in the thread (a second at
        100,000 people by a column other than the name): the rows keep their order until
        the new one comes."""
        if column >= len(self._columns):
            return
        sort = RosterSort() if column < 0 else RosterSort(self.SORTS[column], order == Qt.SortOrder.DescendingOrder)
        if sort == self._sort:
            return
        self._sort = sort
        old = self.persistentIndexList()
        if self.in_background and self._search is not None:
            self._ask_thread(all_ids=bool(old))
            return
        if not old or self._search is None:
            self.reload()
            return
        # Keep the selection (and the current row) on their people: their rows in the new order.
        self._asked, self._waiting = self._asked + 1, None
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        people = [self.row_at(ix.row()) for ix in old]
        self._pages.clear()
        self._recent = -1
        self._ids = None
        self._shown_sort = sort
        try:
            position = {pid: i for i, pid in enumerate(self._all_ids())}
        except SQLAlchemyError:
            position = {}
        new = [self.index(position[p.id], ix.column()) if p is not None and p.id in position else QModelIndex()
               for p, ix in zip(people, old, strict=True)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


__all__ = ["PeopleModel", "people_columns", "PAGE_SIZE"]
