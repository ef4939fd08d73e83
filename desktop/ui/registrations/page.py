"""The Registrations section: everyone registered for the event — search, filters, sort,
edits in place and in bulk, registering and removing — smooth at 100,000 registrations.

The table's model is a plain ``QAbstractTableModel`` over a window of rows: the database
filters, sorts and counts (``desktop.core.registrations``); the model holds the count and
the pages of rows the view has asked for. The first pages come by LIMIT/OFFSET; when the
user scrolls deeper, the ordered ids are read once and pages come by id. No proxy model.

Nothing at 100,000 rows holds the window: a list longer than five pages has its ordered ids
read in a thread once left alone; in a large event (``LARGE_EVENT``) searches, the first
list and the count of those checked in are read in threads, the rows on show staying until
the answer. A select-all is one range, counted by its spans; the column header keeps a
selection of its own (``shell.table.detach_header_selection``), else Qt asks ``flags()``
of every selected cell at each paint. ``tests/bench/responsive.py`` measures it.

Every edit is a core call that returns a ``Change`` (``desktop.ui.registrations.commands``
gives each its words), made through the window's ``Edits`` so Edit → Undo takes it back in
the database; after every change the window reads the page again when the change touched
its ``TABLES``, and ``on_data_changed`` selects the registrations the edit was about.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QColor, QFont, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from db.models import Category, Sector, Status
from desktop.core import formats, person_keys, vocabulary
from desktop.core.changes import Change, RowRef
from desktop.core.collation import ensure_sort_keys
from desktop.core.errors import error_sentence
from desktop.core.events import EventDetail
from desktop.core.i18n import full_name
from desktop.core.language import N_, _, n_, p_
from desktop.core.registration_edit import NewPerson, RegistrationError, person_name, registration_details
from desktop.core.registrations import (
    AlsoFound,
    RegistrationFilter,
    RegistrationPage,
    RegistrationRow,
    RegistrationSort,
    SortColumn,
    also_found,
    count_registrations,
    find_registrations,
    registration_ids,
    rows_for_ids,
)
from desktop.ui.registrations import commands
from desktop.ui.shell import style
from desktop.ui.shell.commands import Changed, Edit, Edits, edits_of
from desktop.ui.shell.table import CLEAR_SEARCH, Column, EmptyNote, column_header, configure_table, no_matches

ModelIndex = QModelIndex | QPersistentModelIndex
INACTIVE = (Status.DECLINED, Status.CANCELLED)
PAGE_SIZE = 200        # rows read at a time
OFFSET_PAGES = 5       # pages read by LIMIT/OFFSET; deeper ones by id (one ordered id list)
CACHED_PAGES = 64      # pages kept (12,800 rows); the least recently used go first
SEARCH_DELAY_MS = 150  # typing pauses this long before the list is searched
IDS_AHEAD_MS = 300     # a long list left alone this long has its ordered ids read in a thread
LARGE_EVENT = 20_000
"""From this many registrations the page reads in threads what would stall the window: who
is checked in (~0.1-0.45 s at 100,000), a search, and the list when the section is first
shown for the event. Below, at once (a few milliseconds)."""


def event_zone(name: str) -> dt.tzinfo:
    """The event's time zone; UTC when this computer does not know the name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_time(at: dt.datetime | None, zone: dt.tzinfo) -> str:
    """"09:41" in the event's time zone, or "" when not checked in."""
    return at.astimezone(zone).strftime("%H:%M") if at is not None else ""


_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_EDITABLE_FLAGS = _FLAGS | Qt.ItemFlag.ItemIsEditable
_ROLES = frozenset(int(role.value) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.UserRole))
"""The roles ``RegistrationsModel.data`` answers."""


def _status_colour(row: RegistrationRow) -> QColor | None:
    return QColor(style.MUTED) if row.status in INACTIVE else None


class _IdsAhead:
    """The ordered ids of one query (its number, ``reading``), read by a thread."""

    def __init__(self, reading: int) -> None:
        self.reading = reading
        self.ids: list[int] | None = None
        self.thread: threading.Thread | None = None


class RegistrationsModel(QAbstractTableModel):
    """The event's registrations as the database filters and sorts them, a page at a time.

    ``set_source`` names the database, event, language and time zone; ``set_filter`` and
    ``sort`` run a new query (a model reset); ``reload`` runs the same one again;
    ``set_filter_in_thread`` runs the query in a thread, the rows read so far staying on
    show until its answer. Status and category are editable: ``setData`` does not write,
    it asks for the edit.

    Signals:
        edit_requested(int, str, object): the user chose a new value in place — the
            registration's id, the field ("status" or "category") and the new value.
        loaded(): a query ran and the model was reset with its result.
        searched(): the answer of ``set_filter_in_thread`` is on show (after ``loaded``).
        search_failed(str): it could not be read: one sentence why.
    """

    edit_requested = Signal(int, str, object)
    loaded = Signal()
    searched = Signal()
    search_failed = Signal(str)
    _search_read = Signal(int, object, object)  # from the searching thread: (reading, filter, answer)
    _ids_read = Signal(int, object)  # from the thread reading the ordered ids: (reading, ids)

    CODE, NAME, ORGANISATION, SECTOR, CATEGORY, STATUS, CHECKED_IN = range(7)
    SORTS = (SortColumn.CODE, SortColumn.NAME, SortColumn.ORGANISATION, SortColumn.SECTOR,
             SortColumn.CATEGORY, SortColumn.STATUS, SortColumn.CHECKED_IN)
    EDITABLE = {CATEGORY: "category", STATUS: "status"}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database: Database | None = None
        self._event_id: int | None = None
        self._lang = "en"
        self._zone: dt.tzinfo = dt.UTC
        self._zone_name = "UTC"
        self._filter = RegistrationFilter()
        self._sort = RegistrationSort()
        self._total = 0
        self._pages: OrderedDict[int, list[RegistrationRow]] = OrderedDict()
        self._ids: list[int] | None = None
        self._reading = 0  # the number of the last query run: the ids read ahead answer it
        self._ids_timer = QTimer(self)
        self._ids_timer.setSingleShot(True)
        self._ids_timer.setInterval(IDS_AHEAD_MS)
        self._ids_timer.timeout.connect(self._on_ids_timer_timeout)
        self._ids_read.connect(self._on_ids_read)
        self._ahead: _IdsAhead | None = None
        self._pending: RegistrationFilter | None = None  # asked of the thread, not on show yet
        self._search_read.connect(self._on_search_read)
        self._also: list[AlsoFound] = []
        self._columns = (
            Column(p_("registrations column", "Code"), lambda r: r.code, width=9),
            # Wide enough for a Russian or Kazakh list's full name: surname, given name, patronymic.
            Column(p_("registrations column", "Name"), lambda r: r.name, width=36, tooltip=lambda r: r.name),
            Column(p_("registrations column", "Organisation"), lambda r: r.organisation, width=0,
                   tooltip=lambda r: r.organisation or None),
            Column(p_("registrations column", "Sector"), lambda r: vocabulary.sector(r.sector) if r.sector else "",
                   width=22, tooltip=lambda r: vocabulary.sector(r.sector) if r.sector else None),
            Column(p_("registrations column", "Category"), lambda r: vocabulary.category(r.category), width=12),
            Column(p_("registrations column", "Status"), lambda r: vocabulary.status(r.status), width=17,
                   foreground=_status_colour),
            Column(p_("registrations column", "Checked in"), lambda r: local_time(r.checked_in_at, self._zone),
                   width=10,
                   align=Qt.AlignmentFlag.AlignHCenter, tooltip=self._checked_in_tip,
                   foreground=lambda r: QColor(style.SUCCESS), bold=lambda r: r.checked_in_at is not None),
        )
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what is shown ------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def total(self) -> int:
        """How many registrations the current filter keeps."""
        return self._total

    @property
    def current_filter(self) -> RegistrationFilter:
        return self._filter

    @property
    def current_sort(self) -> RegistrationSort:
        return self._sort

    def set_source(self, database: Database | None, event_id: int | None, lang: str = "en",
                   time_zone: str = "UTC", flt: RegistrationFilter = RegistrationFilter()) -> None:
        """Show the registrations of ``event_id`` that ``flt`` keeps (call ``reload`` next)."""
        self._database, self._event_id, self._lang = database, event_id, lang
        self._filter = flt
        self.set_time_zone(time_zone)

    @property
    def zone(self) -> dt.tzinfo:
        """The time zone check-in times are shown in (the event's)."""
        return self._zone

    def set_time_zone(self, name: str) -> None:
        """Show check-in times in the zone ``name``."""
        self._zone_name = name
        self._zone = event_zone(name)

    def set_filter(self, flt: RegistrationFilter) -> None:
        self._filter = flt
        self.reload()

    def clear(self) -> None:
        """Show nothing (until a query runs)."""
        self.beginResetModel()
        self._reading += 1
        self._ids_timer.stop()
        self._pending = None
        self._pages.clear()
        self._ids = None
        self._total = 0
        self._also = []
        self.endResetModel()

    @property
    def is_reading(self) -> bool:
        """Whether a query asked of the thread has not answered yet."""
        return self._pending is not None

    def set_filter_in_thread(self, flt: RegistrationFilter) -> None:
        """Search for ``flt`` in a thread (the database's work off the GUI thread: a search
        of 100,000 registrations, or all of them again); the rows read so far stay on show,
        and can be scrolled, until the answer resets the model (``loaded``, ``searched``).
        An answer for a query older than the model's last (another search, a ``reload``,
        a ``sort``, which take this filter) is dropped."""
        database, event_id, sort, lang = self._database, self._event_id, self._sort, self._lang
        if database is None or event_id is None:
            self.set_filter(flt)
            return
        self._reading += 1
        self._ids_timer.stop()
        self._pending = flt
        reading = self._reading

        def work() -> None:
            answer: object
            try:
                with database.read_raw() as session:
                    page = find_registrations(session, event_id, flt, sort, offset=0, limit=PAGE_SIZE, lang=lang)
                    answer = (page, also_found(session, event_id, flt) if page.total else [])
            except SQLAlchemyError as exc:
                answer = exc
            try:
                self._search_read.emit(reading, flt, answer)
            except RuntimeError:
                pass  # the model is gone meanwhile

        threading.Thread(target=work, name="registrations-search", daemon=True).start()

    @Slot(int, object, object)  # from the searching thread: a real slot (desk/page.py says why)
    def _on_search_read(self, reading: int, flt: RegistrationFilter, answer: object) -> None:
        if reading != self._reading:
            return
        self._pending = None
        if isinstance(answer, SQLAlchemyError):
            self.search_failed.emit(error_sentence(answer))
            return
        page, also = cast(tuple[RegistrationPage, list[AlsoFound]], answer)
        self.beginResetModel()
        self._filter = flt
        self._pages.clear()
        self._ids = None
        self._total = page.total
        self._pages[0] = page.rows
        self._also = also
        self.endResetModel()
        if self._total > PAGE_SIZE * OFFSET_PAGES:
            self._ids_timer.start()
        self.loaded.emit()
        self.searched.emit()

    def reload(self) -> None:
        """Run the query again (after an edit, or to see another desk's changes). A list
        longer than the pages read by LIMIT/OFFSET has its ordered ids read in a thread once
        it is left alone ``IDS_AHEAD_MS``: a jump to its end or a select-all's edit finds
        them read."""
        self.beginResetModel()
        self._reading += 1
        self._ids_timer.stop()
        if self._pending is not None:  # a search asked of the thread: run now instead
            self._filter, self._pending = self._pending, None
        try:
            self._pages.clear()
            self._ids = None
            self._total = 0
            self._also = []
            if self._database is not None and self._event_id is not None:
                with self._database.read_raw() as session:
                    page = find_registrations(session, self._event_id, self._filter, self._sort,
                                              offset=0, limit=PAGE_SIZE, lang=self._lang)
                    # What else the search read the text as, for the page to say.
                    self._also = also_found(session, self._event_id, self._filter) if page.total else []
                self._total = page.total
                self._pages[0] = page.rows
        finally:
            self.endResetModel()
        if self._total > PAGE_SIZE * OFFSET_PAGES:
            self._ids_timer.start()
        self.loaded.emit()

    def _on_ids_timer_timeout(self) -> None:
        database, event_id, reading = self._database, self._event_id, self._reading
        if database is None or event_id is None or self._ids is not None:
            return
        flt, sort, lang = self._filter, self._sort, self._lang
        ahead = _IdsAhead(reading)

        def work() -> None:
            try:
                with database.read_raw() as session:
                    ahead.ids = registration_ids(session, event_id, flt, sort, lang)
            except SQLAlchemyError:
                return  # read when needed, as without the thread
            try:
                self._ids_read.emit(reading, ahead.ids)
            except RuntimeError:
                pass  # the model is gone meanwhile

        ahead.thread = threading.Thread(target=work, name="registration-ids", daemon=True)
        self._ahead = ahead
        ahead.thread.start()

    @Slot(int, object)  # from the ids thread
    def _on_ids_read(self, reading: int, ids: list[int]) -> None:
        if reading == self._reading and self._ids is None:
            self._ids = ids

    def _ordered_ids(self, session: Any) -> list[int]:
        """The ordered ids of the current query: those read ahead (waiting for the thread if
        it is at it: no second query beside it), else read now."""
        if self._ids is None:
            ahead = self._ahead
            if ahead is not None and ahead.reading == self._reading and ahead.thread is not None:
                ahead.thread.join()
                self._ids = ahead.ids
        if self._ids is None:
            assert self._event_id is not None
            self._ids = registration_ids(session, self._event_id, self._filter, self._sort, self._lang)
        return self._ids

    @property
    def also_found(self) -> list[AlsoFound]:
        """The readings of the search beyond the text as typed that found someone
        (``desktop.core.registrations.also_found``), as of the last ``reload``."""
        return self._also

    def row_at(self, row: int) -> RegistrationRow | None:
        """The registration shown in ``row`` (read from the database if need be); None when
        it is gone meanwhile."""
        if not 0 <= row < self._total:
            return None
        number, at = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return page[at] if at < len(page) else None

    def rows(self) -> list[RegistrationRow]:
        """Every row the filter keeps, in order (reads them all: for small lists and tests)."""
        return [r for r in (self.row_at(i) for i in range(self._total)) if r is not None]

    def ids_of(self, rows: Sequence[int]) -> list[int]:
        """The registration ids shown in ``rows`` (those still there). Many rows (a select-all
        of 100,000) are read as the ordered id list, once, not a page at a time."""
        if len(rows) > PAGE_SIZE * OFFSET_PAGES:
            ids = self._all_ids()
            return [ids[r] for r in rows if 0 <= r < len(ids)]
        out = []
        for row in rows:
            found = self.row_at(row)
            if found is not None:
                out.append(found.id)
        return out

    def shown_values(self, ids: Sequence[int], field: str) -> dict[int, dict[str, Any]]:
        """``field`` ("status", "category") of those of ``ids`` among the rows read so far, as
        they show it: a bulk edit's ``bases`` (rows never read were never shown; none is read here)."""
        wanted = set(ids)
        return {row.id: {field: getattr(row, field)} for page in self._pages.values() for row in page
                if row.id in wanted}

    def row_of(self, registration_id: int) -> int:
        """The row showing ``registration_id`` among the rows read so far, else -1."""
        return self.rows_of([registration_id]).get(registration_id, -1)

    def rows_of(self, ids: Sequence[int], everywhere: bool = False) -> dict[int, int]:
        """The rows showing those of ``ids`` that are among the rows read so far; with
        ``everywhere``, among all the rows the filter keeps (the ordered ids are read once
        when the rows read so far do not show them all: a bulk edit's rows, after it)."""
        wanted = set(ids)
        found: dict[int, int] = {}
        if everywhere and self._ids is None and len(wanted) > sum(len(page) for page in self._pages.values()):
            self._all_ids()
        if self._ids is not None:
            for row, rid in enumerate(self._ids):
                if rid in wanted:
                    found[rid] = row
            return found
        for number, page in self._pages.items():
            for at, row in enumerate(page):
                if row.id in wanted:
                    found[row.id] = number * PAGE_SIZE + at
        return found

    def _all_ids(self) -> list[int]:
        if self._ids is None and self._database is not None and self._event_id is not None:
            with self._database.read_raw() as session:
                return self._ordered_ids(session)
        return self._ids or []

    def _fetch(self, number: int) -> list[RegistrationRow]:
        if self._database is None or self._event_id is None:
            return []
        try:
            with self._database.read_raw() as session:
                if number < OFFSET_PAGES:
                    rows = find_registrations(
                        session, self._event_id, self._filter, self._sort, offset=number * PAGE_SIZE,
                        limit=PAGE_SIZE, lang=self._lang, total=self._total).rows
                else:
                    start = number * PAGE_SIZE
                    rows = rows_for_ids(session, self._ordered_ids(session)[start:start + PAGE_SIZE], self._lang)
        except SQLAlchemyError:
            return []  # shown blank; the next refresh reads it again
        self._pages[number] = rows
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return rows

    def _checked_in_tip(self, row: RegistrationRow) -> str | None:
        if row.checked_in_at is None:
            return None
        local = row.checked_in_at.astimezone(self._zone)
        when = {"date": formats.date(local.date(), style="full"), "time": formats.time(local),
                "zone": self._zone_name}
        if row.desk:
            # Translators: {desk} is the desk's name, {zone} the event's time zone ("Asia/Almaty").
            return _("Checked in at {desk} on {date}, {time} ({zone})").format(desk=row.desk, **when)
        return _("Checked in on {date}, {time} ({zone})").format(**when)

    # -- QAbstractItemModel -------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _EDITABLE_FLAGS if index.column() in self.EDITABLE else _FLAGS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or index.column() >= len(self._columns):
            return None  # a paint asks each cell for some ten roles: those not answered, at once
        row = self.row_at(index.row())
        if row is None:
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.EditRole:
            if index.column() == self.STATUS:
                return row.status.value
            if index.column() == self.CATEGORY:
                return row.category.value
            return column.display(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(row)
        if role == Qt.ItemDataRole.FontRole and column.bold is not None and column.bold(row):
            return self._bold
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in self.EDITABLE:
            return False
        row = self.row_at(index.row())
        if row is None:
            return False
        field = self.EDITABLE[index.column()]
        try:
            new = Status(value) if field == "status" else Category(value)
        except ValueError:
            return False
        if new == getattr(row, field):
            return False
        self.edit_requested.emit(row.id, field, new)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return column_header(self._columns, section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database; column -1 is the list's own order (by name)."""
        if column >= len(self._columns):
            return
        if column < 0:
            sort = RegistrationSort()
        else:
            sort = RegistrationSort(self.SORTS[column], order == Qt.SortOrder.DescendingOrder)
        if sort == self._sort and self._pages:
            return
        self._sort = sort
        self.reload()


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a combo box of ``choices`` (label, stored value); choosing one
    commits it at once."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choices = list(choices)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        editor = QComboBox(parent)
        editor.setObjectName("inPlaceChoice")
        for label, value in self._choices:
            editor.addItem(label, value)
        editor.activated.connect(self._on_editor_activated)
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        combo = cast(QComboBox, editor)
        at = combo.findData(index.data(Qt.ItemDataRole.EditRole))
        if at >= 0:
            combo.setCurrentIndex(at)

    def setModelData(self, editor: QWidget, model: QAbstractTableModel, index: ModelIndex) -> None:
        model.setData(index, cast(QComboBox, editor).currentData(), Qt.ItemDataRole.EditRole)

    def _on_editor_activated(self, _index: int) -> None:
        editor = self.sender()
        if isinstance(editor, QComboBox):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)


def status_choices() -> list[tuple[str, str]]:
    return [(vocabulary.status(s), s.value) for s in Status]


def category_choices() -> list[tuple[str, str]]:
    return [(vocabulary.category(c), c.value) for c in Category]


ANY = "__any__"
NO_ORGANISATION = "__none__"


def _registration_ids(selected: object) -> list[int]:
    """The registrations an edit says to select: its subject (a ``RowRef``), or the ids the
    page gave its command (``Edit.selected``)."""
    if isinstance(selected, RowRef):
        return [selected.id] if selected.table == "registration" else []
    if isinstance(selected, tuple) and all(isinstance(i, int) for i in selected):
        return list(selected)
    return []


def _registrations(n: int) -> str:
    """"1 registration", "1,300 registrations" (in the interface language)."""
    return n_("{n} registration", "{n} registrations", n).format(n=formats.number(n))


def checked_in_total(database: Database, event_id: int) -> int:
    """How many of the event's registrations are checked in now: counted by the database
    (the list's own "checked in" filter), so that a thread counting it leaves Python free
    for the window."""
    with database.read_raw() as read:
        return find_registrations(read, event_id, RegistrationFilter(checked_in=True), limit=0).total


class _FiguresReader(QObject):
    """Counts who is checked in in a thread of its own; ``read(number, n)`` comes back
    on the GUI thread with the number of the request (a newer request makes older answers
    void).

    Signals:
        read(int, int): the request's number and how many are checked in.
    """

    read = Signal(int, int)

    def start(self, database: Database, event_id: int, number: int) -> None:
        def work() -> None:
            try:
                n = checked_in_total(database, event_id)
            except SQLAlchemyError:
                return  # the figure stays as it was; the next reload asks again
            try:
                self.read.emit(number, n)
            except RuntimeError:
                pass  # the page is gone meanwhile

        threading.Thread(target=work, name="registrations-figures", daemon=True).start()


class RegistrationsPage(QWidget):
    """The event's registrations: a search field, filters, the table and its actions.

    Signals: none; edits go to the window's ``Edits`` (``desktop.ui.shell.commands``), and
    the window reads the page again when a change touched its ``TABLES``.
    """

    TABLES = frozenset({"registration", "person", "organisation", "check_in"})
    """The tables the page shows: a change to any of them makes the window read it again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database: Database | None = None
        self._detail: EventDetail | None = None
        self._lang = "en"
        self._event_total = 0
        self._event_checked_in: int | None = None  # None: being counted
        self._figures_asked = 0  # the number of the latest count asked of the thread
        self._figures = _FiguresReader(self)
        self._figures.read.connect(self._on_figures_read)
        self._listening: Edits | None = None  # the Edits whose failures the page hears

        title = QLabel(p_("section", "Registrations"))
        title.setObjectName("pageTitle")
        title.setFont(style.scaled_font(self.font(), 1.5, bold=True))
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.search_field = QLineEdit()
        self.search_field.setObjectName("registrationSearch")
        self.search_field.setPlaceholderText(_("Search names, organisations, e-mail or badge code"))
        # Translators: {key} is the shortcut ("Ctrl+F").
        self.search_field.setToolTip(_("Search names, organisations, e-mail or badge code ({key})").format(
            key=QKeySequence("Ctrl+F").toString(QKeySequence.SequenceFormat.NativeText)))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.textChanged.connect(self._on_search_field_text_changed)
        self.search_field.installEventFilter(self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._on_search_timer_timeout)

        self.status_filter = self._filter_combo(
            "Status", _("Show only the registrations of this status"),
            [(_("All statuses"), ANY), *status_choices()])
        self.sector_filter = self._filter_combo(
            "Sector", _("Show only the registrations of this sector"),
            [(_("All sectors"), ANY)] + [(vocabulary.sector(s), s.value) for s in Sector]
            + [(vocabulary.sector(None), NO_ORGANISATION)])
        self.category_filter = self._filter_combo(
            "Category", _("Show only the registrations of this category"),
            [(_("All categories"), ANY), *category_choices()])
        self.checked_in_filter = self._filter_combo(
            "Checkin", _("Show only the people checked in, or only those not checked in"),
            [(_("Checked in or not"), ANY), (p_("check-in filter", "Checked in"), "yes"),
             (p_("check-in filter", "Not checked in"), "no")])

        self.model = RegistrationsModel(self)
        self.model.edit_requested.connect(self._on_model_edit_requested, Qt.ConnectionType.QueuedConnection)
        self.view = QTableView()
        self.view.setObjectName("registrationsTable")
        configure_table(self.view, self.model)  # type: ignore[arg-type]
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.SelectedClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.horizontalHeader().setSortIndicator(RegistrationsModel.NAME, Qt.SortOrder.AscendingOrder)
        self.view.setItemDelegateForColumn(RegistrationsModel.STATUS, ChoiceDelegate(status_choices(), self.view))
        self.view.setItemDelegateForColumn(RegistrationsModel.CATEGORY, ChoiceDelegate(category_choices(), self.view))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_custom_context_menu_requested)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)
        self.model.searched.connect(self._on_model_searched)
        self.model.search_failed.connect(self._on_model_search_failed)

        self.empty_label = EmptyNote(self.view)
        # What the search also read the text as ("as typed on the Russian layout: …"), beside
        # the count it explains: the table does not move as the note comes and goes while
        # typing. A narrow window cuts it (the tooltip has it whole).
        self.meant_label = QLabel()
        self.meant_label.setObjectName("searchMeant")
        self.meant_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self._build_actions()

        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(24)
        head.addWidget(self.meant_label, 1, Qt.AlignmentFlag.AlignBottom)
        head.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.search_field, 1)
        for combo in (self.status_filter, self.sector_filter, self.category_filter, self.checked_in_filter):
            filters.addWidget(combo)

        actions = QHBoxLayout()
        actions.setSpacing(6)
        for action in (self.register_action, self.details_action):
            actions.addWidget(self._button(action))
        actions.addSpacing(14)
        for action in (self.confirm_action, self.cancel_action):
            actions.addWidget(self._button(action))
        self.category_button = self._button(self.category_menu.menuAction())
        self.category_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        actions.addWidget(self.category_button)
        actions.addSpacing(14)
        actions.addWidget(self._button(self.remove_action))
        actions.addStretch(1)
        self.selection_label = QLabel()
        self.selection_label.setObjectName("countLabel")
        actions.addWidget(self.selection_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.view, 1)
        self.setStyleSheet(PAGE_STYLE)
        self._on_selection_changed()

    # -- building -----------------------------------------------------------------------

    def _filter_combo(self, name: str, tip: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName("filter" + name)
        combo.setToolTip(tip)
        for label, value in items:
            combo.addItem(label, value)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.currentIndexChanged.connect(self._on_filter_changed)
        return combo

    def _action(self, text: str, slot: Callable[[], None], tip: str,
                shortcut: QKeySequence | str | None = None,
                context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
                on: QWidget | None = None) -> QAction:
        action = QAction(text, self)
        action.setIconText(text)  # tool buttons would drop the "…" of the text
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(context)
        action.triggered.connect(slot)
        (on or self).addAction(action)
        return action

    def _build_actions(self) -> None:
        view = Qt.ShortcutContext.WidgetShortcut
        self.find_action = self._action(p_("registrations", "Find"), self._on_find_action_triggered,
                                        _("Search the registrations"), "Ctrl+F", Qt.ShortcutContext.WindowShortcut)
        self.register_action = self._action(
            p_("registrations", "Register…"), self._on_register_action_triggered,
            _("Register someone from the roster, or someone new, for this event"), "Ctrl+Shift+N",
            Qt.ShortcutContext.WindowShortcut)
        self.details_action = self._action(
            p_("registrations", "Details…"), self._on_details_action_triggered,
            _("See and edit the registration's category, status, needs and notes (Enter)"),
            QKeySequence(Qt.Key.Key_Return), view, self.view)
        self.details_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        # Translators: {status} is a status as the status list names it ("Confirmed", "Cancelled").
        to_status = _("Set the selected registrations to {status}")
        self.confirm_action = self._action(
            p_("registrations", "Confirm"), self._on_confirm_action_triggered,
            to_status.format(status=vocabulary.status(Status.CONFIRMED)))
        self.cancel_action = self._action(
            p_("registrations", "Cancel registration"), self._on_cancel_action_triggered,
            to_status.format(status=vocabulary.status(Status.CANCELLED)))
        self.category_menu = QMenu(p_("registrations", "Change category"), self)
        self.category_menu.setToolTip(_("Give the selected registrations another category"))
        self.category_actions: dict[Category, QAction] = {}
        for category in Category:
            action = self.category_menu.addAction(vocabulary.category(category))
            action.setData(category.value)
            self.category_actions[category] = action
        self.category_menu.triggered.connect(self._on_category_menu_triggered)
        self.remove_action = self._action(
            p_("registrations", "Remove…"), self._on_remove_action_triggered,
            _("Remove the selected registrations (the people stay in the roster) (Delete)"),
            QKeySequence(QKeySequence.StandardKey.Delete), view, self.view)

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setObjectName("actionButton")
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    # -- the section's face -------------------------------------------------------------

    def show_event(self, database: Database, detail: EventDetail, lang: str) -> None:
        """Show ``detail``'s registrations in ``lang``; the same event again (the window
        calls this after every edit, and when the language changes) keeps the search,
        filters, sort, selection and scroll position."""
        same = (database is self._database and self._detail is not None
                and detail.summary.id == self._detail.summary.id)
        self._database, self._detail, self._lang = database, detail, lang
        if same:
            # Another language shows names and organisations in it; the rest stays.
            self.model.set_source(database, detail.summary.id, lang, detail.timezone,
                                  self.model.current_filter)
            self.reload()
            return
        self.search_timer.stop()
        for combo in (self.status_filter, self.sector_filter, self.category_filter, self.checked_in_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)
        self.model.set_source(database, detail.summary.id, lang, detail.timezone)
        ensure_sort_keys(database)  # the list sorts by them: those another program left unmade
        # Skeletons another program (or an upgrade) left unmade: made off this thread.
        person_keys.settle_in_background(database)
        with database.read() as session:
            total = count_registrations(session, detail.summary.id)
        if total >= LARGE_EVENT:
            # A large event's list is read in a thread: the section shows at once, empty
            # (no note) until the rows come (``_on_model_searched``).
            self.model.clear()
            self.model.set_filter_in_thread(RegistrationFilter())
            self._read_event_figures(same_event=False, total=total)
        else:
            self.model.reload()
            self._read_event_figures(same_event=False)
        self.view.scrollToTop()
        self._update_count()

    def reload(self) -> None:
        """Read the list again, keeping the selection and the scroll position."""
        if self._database is None or self._detail is None:
            return
        selected = self.selected_ids()
        current = self.model.row_at(self.view.currentIndex().row()) if self.view.currentIndex().isValid() else None
        scroll = self.view.verticalScrollBar().value()
        ensure_sort_keys(self._database)
        person_keys.settle_in_background(self._database)  # after another program's writes
        self.model.reload()
        self._read_event_figures()
        self.view.verticalScrollBar().setValue(scroll)
        self._select_ids(selected, current.id if current is not None else None)
        self._update_count()

    def current_filter(self) -> RegistrationFilter:
        """The filter the search field and the combos describe."""
        def chosen(combo: QComboBox) -> str:
            return str(combo.currentData())

        status, sector, category, checked = (chosen(c) for c in (
            self.status_filter, self.sector_filter, self.category_filter, self.checked_in_filter))
        return RegistrationFilter(
            search=self.search_field.text(),
            statuses=frozenset() if status == ANY else frozenset({Status(status)}),
            sectors=(frozenset() if sector == ANY else
                     frozenset({None}) if sector == NO_ORGANISATION else frozenset({Sector(sector)})),
            categories=frozenset() if category == ANY else frozenset({Category(category)}),
            checked_in=None if checked == ANY else checked == "yes",
        )

    def selected_spans(self) -> list[tuple[int, int]]:
        """The selected rows as (first, last) spans, in order, none overlapping: from the
        selection's ranges (``selectedRows()`` asks the model for the flags of every cell,
        seconds for a select-all of 100,000 rows)."""
        spans: list[tuple[int, int]] = []
        for top, bottom in sorted((r.top(), r.bottom()) for r in self.view.selectionModel().selection()):
            if spans and top <= spans[-1][1] + 1:
                if bottom > spans[-1][1]:
                    spans[-1] = (spans[-1][0], bottom)
            else:
                spans.append((top, bottom))
        return spans

    def selected_count(self) -> int:
        """How many rows are selected (without listing them)."""
        return sum(bottom - top + 1 for top, bottom in self.selected_spans())

    def selected_rows(self) -> list[int]:
        """The selected rows, in order."""
        return [row for top, bottom in self.selected_spans() for row in range(top, bottom + 1)]

    def selected_ids(self) -> list[int]:
        return self.model.ids_of(self.selected_rows())

    def undo_stack(self) -> QUndoStack:
        """The window's undo stack (Edit → Undo); the page's own outside a window."""
        return self._edits().stack

    # -- reading ------------------------------------------------------------------------

    def _read_event_figures(self, same_event: bool = True, total: int | None = None) -> None:
        """The event's registrations, counted now (after the list is read; or ``total``), and
        who of them is checked in: counted now in a small event, in a thread in a large one
        (the count shown meanwhile is the last one of the same event, or none)."""
        assert self._database is not None and self._detail is not None
        self._figures_asked += 1
        event_id = self._detail.summary.id
        if total is not None:
            self._event_total = total
        elif self.model.current_filter.is_everyone:
            self._event_total = self.model.total  # the list just read counted them
        else:
            with self._database.read() as session:
                self._event_total = count_registrations(session, event_id)
        if self._event_total < LARGE_EVENT:
            self._event_checked_in = checked_in_total(self._database, event_id)
            return
        if not same_event:
            self._event_checked_in = None
        self._figures.start(self._database, event_id, self._figures_asked)

    @Slot(int, int)  # from the figures thread
    def _on_figures_read(self, number: int, checked_in: int) -> None:
        if number == self._figures_asked:
            self._event_checked_in = checked_in
            self._update_count()

    def _apply_filter(self) -> None:
        """Search with what the field and the combos say: in a thread from
        ``LARGE_EVENT`` registrations (the page follows on ``searched``), else now."""
        self.search_timer.stop()
        if self._database is None or self._detail is None:
            return
        if self._event_total >= LARGE_EVENT:
            self.model.set_filter_in_thread(self.current_filter())
            return
        try:
            self.model.set_filter(self.current_filter())
        except SQLAlchemyError as exc:
            self._report(_("Cannot read the registrations"), error_sentence(exc))
        self._on_model_searched()

    def _on_model_searched(self) -> None:
        self.view.scrollToTop()
        self._update_count()
        if self.view.hasFocus() and not self.view.currentIndex().isValid() and self.model.total:
            self.view.selectRow(0)  # Enter or Down in the search field went to the list before the answer

    def _on_model_search_failed(self, sentence: str) -> None:
        self._report(_("Cannot read the registrations"), sentence)

    def _update_count(self) -> None:
        shown, total = self.model.total, self._event_total
        if self.model.current_filter.is_everyone:
            head = _registrations(total)
        else:
            # Translators: how many registrations the filters keep, of how many: "12 of 120 registrations".
            head = n_("{shown} of {n} registration", "{shown} of {n} registrations", total).format(
                shown=formats.number(shown), n=formats.number(total))
        checked = self._event_checked_in
        if checked is None:
            self.count_label.setText(head)  # the rest once counted
        else:
            arrived = n_("{n} checked in", "{n} checked in", checked).format(n=formats.number(checked))
            self.count_label.setText(f"{head} · {arrived}")
        self.empty_label.say(self._empty_note() if shown == 0 and self._detail is not None
                             and not self.model.is_reading else "")
        meant = " · ".join(found.said for found in self.model.also_found)
        self.meant_label.setText(meant)
        self.meant_label.setToolTip(meant)

    def _empty_note(self) -> str:
        """Why the table is empty, and what to do about it."""
        if self._event_total == 0:
            return _(NOBODY_YET)
        search = " ".join(self.search_field.text().split())
        flt = self.model.current_filter
        filtered = bool(flt.statuses or flt.sectors or flt.categories or flt.checked_in is not None)
        if search:
            return f"{no_matches(search, filtered=filtered)}\n{_(CLEAR_SEARCH)}"
        return _(NO_FILTER_MATCH)

    def _select_ids(self, ids: Sequence[int], current: int | None, read_all: bool = False) -> None:
        """Select the rows of ``ids`` among those read (after a reload; with ``read_all``,
        among all the list's rows), as ranges."""
        selection = self.view.selectionModel()
        wanted = set(ids)
        rows = sorted(self.model.rows_of([*ids, *([current] if current is not None else [])], read_all).items(),
                      key=lambda item: item[1])
        chosen = QItemSelection()
        last = self.model.columnCount() - 1
        start = previous = None
        for rid, row in rows:
            if rid not in wanted:
                continue
            if start is None:
                start = previous = row
            elif row == previous + 1:
                previous = row
            else:
                chosen.select(self.model.index(start, 0), self.model.index(previous, last))
                start = previous = row
        if start is not None:
            chosen.select(self.model.index(start, 0), self.model.index(previous, last))
        selection.select(chosen, selection.SelectionFlag.ClearAndSelect)
        row = dict(rows).get(current) if current is not None else None
        if row is not None:
            selection.setCurrentIndex(self.model.index(row, RegistrationsModel.NAME),
                                      selection.SelectionFlag.NoUpdate)

    # -- edits --------------------------------------------------------------------------

    def _edits(self) -> Edits:
        """The window's edits; outside a window, the page's own (and the page listens).
        The page hears failures too: an edit, undo or redo refused because another desk
        changed the rows meanwhile means the list on screen is out of date."""
        edits = edits_of(self)
        if edits is not self._listening:
            if self._listening is not None:
                self._listening.failed.disconnect(self._on_edits_failed)
            edits.failed.connect(self._on_edits_failed)
            if edits.parent() is self:
                edits.data_changed.connect(self._on_own_edits_data_changed)
            self._listening = edits
        return edits

    def _push(self, edit: Edit) -> Change | None:
        """Make ``edit`` (undoable); its change, None when it failed (the user was told)."""
        if self._database is None:
            return None
        return self._edits().run(edit, self._database, origin=self)

    def on_data_changed(self, changed: Changed) -> None:
        """After an edit, undo or redo (the window has read the page again if it touched
        its tables): select the registrations it was about."""
        ids = _registration_ids(changed.select)
        if ids and self._detail is not None:
            self._select_ids(ids, ids[0], read_all=True)
            row = self.model.row_of(ids[0])
            if row >= 0:
                self.view.scrollTo(self.model.index(row, RegistrationsModel.NAME))

    def _on_own_edits_data_changed(self, changed: Changed) -> None:
        """Outside a window: read the list again, then select."""
        self.reload()
        self.on_data_changed(changed)

    def _on_edits_failed(self, _title: str, _sentence: str) -> None:
        if self.isVisible():
            self.reload()

    def _report(self, title: str, sentence: str) -> None:
        QMessageBox.warning(self, title, sentence)

    def _status_text(self, message: str) -> None:
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if window is not self and callable(bar):
            bar().showMessage(message, 8000)

    def _name_of(self, ids: Sequence[int]) -> str | None:
        """The name of the one registration ``ids`` holds, when the page has read it; else None
        (the edit is then named by its count)."""
        if len(ids) != 1:
            return None
        row = self.model.row_of(ids[0])
        found = self.model.row_at(row) if row >= 0 else None
        return found.name if found is not None else None

    def set_field(self, ids: Sequence[int], field: str, value: Status | Category) -> bool:
        """Give the registrations ``ids`` a status or a category, as an undoable edit."""
        if self._database is None or not ids:
            return False
        name = self._name_of(ids)
        bases = self.model.shown_values(ids, field)  # what the rows showed: others' changes since are kept
        if field == "status":
            label = vocabulary.status(value)
            change = self._push(commands.set_status(ids, cast(Status, value), name, bases=bases))
        else:
            label = vocabulary.category(value)
            change = self._push(commands.set_category(ids, cast(Category, value), name, bases=bases))
        if change is None:
            return False
        if change.is_empty:
            if field == "status":
                self._status_text(_("Nothing to change: the status is {status} already.").format(status=label))
            else:
                self._status_text(_("Nothing to change: the category is {category} already.").format(
                    category=label))
            return False
        n = change.count("registration")
        if field == "status":
            done = n_("{n} registration set to the status {status}.", "{n} registrations set to the status {status}.",
                      n).format(n=formats.number(n), status=label)
        else:
            done = n_("{n} registration set to the category {category}.",
                      "{n} registrations set to the category {category}.", n).format(
                n=formats.number(n), category=label)
        self._status_text(done)
        return True

    def register_person(self, **request: Any) -> bool:
        """Register someone (``desktop.core.registration_edit.register``'s keywords), undoable."""
        if self._database is None or self._detail is None:
            return False
        new = request.get("new_person")
        try:
            if isinstance(new, NewPerson):
                name = full_name(new.given_name.strip(), new.family_name.strip(), None, None, self._lang)
            else:
                with self._database.read() as session:
                    name = person_name(session, int(request["person_id"]), self._lang)
        except SQLAlchemyError as exc:
            self._report(_("Cannot register"), error_sentence(exc))
            return False
        change = self._push(commands.register(self._detail.summary.id, name, request, self.selected_ids()))
        if change is None or change.subject is None:
            return False
        try:
            with self._database.read() as session:
                details = registration_details(session, change.subject.id, self._lang)
        except (RegistrationError, SQLAlchemyError):
            return True  # registered; another desk may have removed it since
        self._status_text(_("{name} registered, badge {code}.").format(name=details.name, code=details.code))
        return True

    def remove(self, ids: Sequence[int]) -> bool:
        """Remove the registrations ``ids``, undoable (refused when one has check-ins)."""
        if self._database is None or not ids:
            return False
        name = self._name_of(ids)
        if self._push(commands.remove(ids, name)) is None:
            return False
        if name is not None:
            message = _("Removed the registration of {name}; the person stays in the roster. Edit → Undo brings "
                        "it back.").format(name=name)
        else:
            message = n_("Removed {n} registration; the people stay in the roster. Edit → Undo brings them back.",
                         "Removed {n} registrations; the people stay in the roster. Edit → Undo brings them back.",
                         len(ids)).format(n=formats.number(len(ids)))
        self._status_text(message)
        return True

    def save_details(self, registration_id: int, values: dict[str, Any],
                     base: Mapping[str, Any] | None = None) -> bool:
        """Save a registration's details (only what changed), undoable; whether it landed
        (False: it failed and the user was told, or the user cancelled the question which
        value to keep). ``base``: the fields as the dialog read them
        (``RegistrationDetails.editable()``)."""
        if self._database is None:
            return False
        return self._push(commands.edit_details(registration_id, values, self._name_of([registration_id]),
                                                base=base)) is not None

    # -- slots --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_field and event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event).key()
            if key == Qt.Key.Key_Escape and self.search_field.text():
                self.search_field.clear()
                self._apply_filter()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.model.total:
                if self.search_timer.isActive():
                    self._apply_filter()
                self.view.setFocus()
                if not self.view.currentIndex().isValid():
                    self.view.selectRow(0)
                return True
        return super().eventFilter(watched, event)

    def _on_search_field_text_changed(self, _text: str) -> None:
        self.search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self._apply_filter()

    def _on_filter_changed(self, _index: int) -> None:
        self._apply_filter()

    def _on_find_action_triggered(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def _on_selection_changed(self, *_args: Any) -> None:
        n = self.selected_count() if self.view.selectionModel() else 0
        has_event = self._detail is not None
        for action in (self.confirm_action, self.cancel_action, self.remove_action):
            action.setEnabled(n > 0)
        self.category_menu.setEnabled(n > 0)
        self.category_menu.menuAction().setEnabled(n > 0)
        self.details_action.setEnabled(n == 1)
        self.register_action.setEnabled(has_event)
        # Translators: how many rows of the list are selected.
        self.selection_label.setText(n_("{n} selected", "{n} selected", n).format(n=formats.number(n)) if n > 1 else "")

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        if index.column() in RegistrationsModel.EDITABLE:
            self.view.edit(index)
        else:
            self._open_details(index.row())

    def _on_view_custom_context_menu_requested(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        if index.isValid() and not self.view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.view.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.details_action)
        menu.addSeparator()
        menu.addAction(self.confirm_action)
        menu.addAction(self.cancel_action)
        menu.addMenu(self.category_menu)
        menu.addSeparator()
        menu.addAction(self.remove_action)
        menu.addSeparator()
        menu.addAction(self.register_action)
        menu.exec(self.view.viewport().mapToGlobal(point))

    def _on_model_edit_requested(self, registration_id: int, field: str, value: object) -> None:
        self.set_field([registration_id], field, cast(Any, value))

    def _on_confirm_action_triggered(self) -> None:
        self.set_field(self.selected_ids(), "status", Status.CONFIRMED)

    def _on_cancel_action_triggered(self) -> None:
        self.set_field(self.selected_ids(), "status", Status.CANCELLED)

    def _on_category_menu_triggered(self, action: QAction) -> None:
        self.set_field(self.selected_ids(), "category", Category(action.data()))

    def _on_details_action_triggered(self) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            self._open_details(rows[0])

    def _open_details(self, row: int) -> None:
        found = self.model.row_at(row)
        if found is None or self._database is None or self._detail is None:
            return
        from desktop.core.row_news import mark_row
        from desktop.ui.registrations.dialogs import DetailsDialog

        try:
            with self._database.read() as session:
                details = registration_details(session, found.id, self._lang)
                mark = mark_row(session, "registration", found.id)
        except (RegistrationError, SQLAlchemyError) as exc:
            self._report(_("Cannot show the registration"), error_sentence(exc))
            return
        dialog = DetailsDialog(details, self._detail, self.model.zone, self)
        dialog.watch_row(self._database, mark)

        # On Save, before it closes: after a Cancel at "which value to keep?" it stays open.
        dialog.save.make = lambda: self.save_details(found.id, dialog.changed_values(), base=details.editable())
        dialog.exec()

    def _on_register_action_triggered(self) -> None:
        if self._database is None or self._detail is None:
            return
        from desktop.ui.registrations.dialogs import RegisterDialog

        dialog = RegisterDialog(self._database, self._detail.summary.id, self._lang, self)
        if dialog.exec() == RegisterDialog.DialogCode.Accepted:
            self.register_person(**dialog.request())

    def _on_remove_action_triggered(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        name = self._name_of(ids)
        if len(ids) == 1 and name is not None:
            title = _("Remove registration")
            question = _("Remove the registration of {name}?\n\nThe person stays in the roster; the badge code is "
                         "freed. Edit → Undo brings the registration back.").format(name=name)
        else:
            title = _("Remove registration") if len(ids) == 1 else _("Remove registrations")
            question = n_("Remove {n} registration?\n\nThe people stay in the roster; badge codes are freed. "
                          "Edit → Undo brings the registrations back.",
                          "Remove {n} registrations?\n\nThe people stay in the roster; badge codes are freed. "
                          "Edit → Undo brings the registrations back.", len(ids)).format(n=formats.number(len(ids)))
        answer = QMessageBox.question(
            self, title, question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.remove(ids)


# What the empty table says (translated where shown).
# Translators: "Register…" is the page's button; "File → Import attendees…" the menu's item.
NOBODY_YET = N_("Nobody is registered for this event yet.\n"
                "Use Register… to add someone, or File → Import attendees… (Ctrl+I) to read a list.")
NO_FILTER_MATCH = N_("No registration matches these filters.\nChoose “All …” in a filter to widen it.")

PAGE_STYLE = f"""
QToolButton#actionButton {{
    border: 1px solid {style.LINE}; border-radius: 4px; background: {style.SURFACE}; color: {style.INK};
    padding: 4px 12px;
}}
QToolButton#actionButton:hover {{ background: {style.ACCENT_SOFT}; }}
QToolButton#actionButton:disabled {{ color: {style.FAINT}; }}
QToolButton#actionButton::menu-indicator {{ subcontrol-position: right center; right: 4px; }}
QLineEdit#registrationSearch {{ padding: 4px 8px; }}
QLabel#searchMeant {{ color: {style.MUTED}; }}
"""


__all__ = ["RegistrationsModel", "RegistrationsPage", "ChoiceDelegate", "event_zone", "local_time"]
