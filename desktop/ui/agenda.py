"""The Agenda section: the event's header and the day's programme as a tree."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import ItemKind, PartnerRole
from desktop.core.agenda import AgendaEntry, OnStage, describe_person, load_agenda
from desktop.core.events import EventDetail
from desktop.core.i18n import Localised, pick
from desktop.ui import labels, style

ModelIndex = QModelIndex | QPersistentModelIndex

# Items that are pauses in the programme: shown muted, apart from the substance.
PAUSES = frozenset({ItemKind.BREAK, ItemKind.LUNCH})


Cell = dict[int, Any]  # role → value, computed once per cell when the entries are set


@dataclass
class _Node:
    entry: AgendaEntry
    parent: int  # node id of the parent; 0 is the root
    row: int
    children: list[int] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)


class AgendaModel(QAbstractItemModel):
    """A day of the agenda: sessions (with their items as children) and top-level items.

    Columns: time, title, room, and who is on stage ("Moderator: …", "Speakers: …").
    Texts are picked in the model's language; a text shown in another language because
    the wanted one is missing is in italics and says so in its tooltip.
    """

    TIME, TITLE, ROOM, PEOPLE = range(4)
    HEADERS = ("Time", "Session / item", "Room", "On stage")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = "en"
        self._nodes: list[_Node | None] = [None]  # node id 0 is the root
        self._top: list[int] = []
        self._muted = QBrush(QColor(style.MUTED))
        self._pause_background = QBrush(QColor(style.BREAK_BG))

    # -- content ----------------------------------------------------------------------

    @property
    def language(self) -> str:
        return self._lang

    def set_entries(self, entries: Sequence[AgendaEntry], lang: str) -> None:
        """Show ``entries`` (one day, in time order) with texts in ``lang``."""
        self.beginResetModel()
        self._lang = lang
        self._nodes = [None]
        self._top = [self._add(entry, 0, row) for row, entry in enumerate(entries)]
        self.endResetModel()

    def _add(self, entry: AgendaEntry, parent: int, row: int) -> int:
        node_id = len(self._nodes)
        node = _Node(entry, parent, row)
        self._nodes.append(node)
        node.cells = [self._cell(node, column) for column in range(len(self.HEADERS))]
        node.children = [self._add(child, node_id, i) for i, child in enumerate(entry.children)]
        return node_id

    def entry(self, index: ModelIndex) -> AgendaEntry | None:
        node = self._node(index)
        return node.entry if node is not None else None

    def _node(self, index: ModelIndex) -> _Node | None:
        if not index.isValid():
            return None
        node_id = index.internalId()
        return self._nodes[node_id] if 0 < node_id < len(self._nodes) else None

    def _children(self, parent: ModelIndex) -> list[int]:
        if not parent.isValid():
            return self._top
        node = self._node(parent)
        if node is None or parent.column() != 0:
            return []
        return node.children

    # -- QAbstractItemModel -----------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        children = self._children(parent)
        if not (0 <= row < len(children) and 0 <= column < len(self.HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self._node(index)
        if node is None or node.parent == 0:
            return QModelIndex()
        parent_node = self._nodes[node.parent]
        assert parent_node is not None
        return self.createIndex(parent_node.row, 0, node.parent)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self._children(parent))

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return bool(self._children(parent))

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        node = self._node(index)
        if node is not None and not node.children:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self._node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return node.entry
        return node.cells[index.column()].get(role)

    # -- what each cell says ----------------------------------------------------------

    def _cell(self, node: _Node, column: int) -> Cell:
        entry = node.entry
        cell: Cell = {Qt.ItemDataRole.TextAlignmentRole: Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop}
        if entry.kind in PAUSES:
            cell[Qt.ItemDataRole.ForegroundRole] = self._muted
            cell[Qt.ItemDataRole.BackgroundRole] = self._pause_background
        if column == self.ROOM and self._same_room_as_session(node):
            # An item in its session's room: the session's row says where.
            cell[Qt.ItemDataRole.DisplayRole] = ""
            return cell
        cell[Qt.ItemDataRole.DisplayRole] = self._display(entry, column)
        tooltip = self._tooltip(entry, column)
        if tooltip:
            cell[Qt.ItemDataRole.ToolTipRole] = tooltip
        font = self._font(entry, column)
        if font is not None:
            cell[Qt.ItemDataRole.FontRole] = font
        if column == self.TITLE and not entry.title:
            cell[Qt.ItemDataRole.ForegroundRole] = self._muted
        return cell

    def _same_room_as_session(self, node: _Node) -> bool:
        parent = self._nodes[node.parent] if node.parent else None
        return parent is not None and node.entry.room == parent.entry.room

    def _localised(self, entry: AgendaEntry, column: int) -> Localised | None:
        if column == self.TITLE:
            return pick(entry.title, self._lang)
        if column == self.ROOM:
            return pick(entry.room, self._lang) if entry.room else None
        return None

    def _display(self, entry: AgendaEntry, column: int) -> str:
        if column == self.TIME:
            return entry.times()
        if column == self.PEOPLE:
            return "\n".join(f"{label}: {names}" for label, names, _ in on_stage(entry.people))
        localised = self._localised(entry, column)
        if column == self.TITLE and (localised is None or not localised.text):
            return "Untitled session" if entry.is_session else "Untitled item"
        return localised.text if localised is not None else ""

    def _font(self, entry: AgendaEntry, column: int) -> QFont | None:
        localised = self._localised(entry, column)
        italic = localised is not None and localised.fallback and bool(localised.text)
        bold = column == self.TITLE and entry.is_session
        if not (italic or bold):
            return None
        font = QFont()
        font.setItalic(italic)
        font.setBold(bold)
        return font

    def _tooltip(self, entry: AgendaEntry, column: int) -> str | None:
        if column == self.PEOPLE:
            lines = [
                f"{labels.ROLE[p.role][0]}: {describe_person(p, self._lang)}"
                for _, _, group in on_stage(entry.people) for p in group
            ]
            return "\n".join(lines) or None
        if column == self.TIME:
            return f"{entry.starts_at:%A %d %B %Y, %H:%M}–{entry.ends_at:%H:%M}"
        localised = self._localised(entry, column)
        if localised is None:
            return None
        if not localised.text:
            return f"No title in any language (wanted: {labels.language_name(self._lang)})."
        if localised.fallback:
            return (f"{localised.text}\n\nNo {labels.language_name(self._lang)} text yet: "
                    f"shown in {labels.language_name(localised.lang)}.")
        return localised.text


def on_stage(people: Sequence[OnStage]) -> list[tuple[str, str, list[OnStage]]]:
    """People grouped by role, leaders first: ``[("Moderator", "A", [...]), ("Speakers", "B, C", [...])]``."""
    groups: list[tuple[str, str, list[OnStage]]] = []
    for kind in labels.ROLE_ORDER:
        group = [p for p in people if p.role == kind]
        if group:
            singular, plural = labels.ROLE[kind]
            groups.append((singular if len(group) == 1 else plural, ", ".join(p.name for p in group), group))
    return groups


class WrappingDelegate(QStyledItemDelegate):
    """Row heights that fit wrapped text at the column's current width.

    ``QTreeView`` asks for a row's height without telling the delegate how wide the column
    is, so long titles would be cut; this delegate measures each cell's text against its
    column's real width (and, being asked for every cell, does little else).
    """

    PADDING = 6  # above and below the text: the style sheet's item padding
    MARGIN = 16  # left and right: padding, the style's text margins, and some air

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        width = self._view.columnWidth(index.column())
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font) if isinstance(font, QFont) else option.fontMetrics
        available = width - self.MARGIN
        if index.column() == 0:
            depth, parent = 1, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            available -= self._view.indentation() * depth
        if "\n" not in text and metrics.horizontalAdvance(text) <= available:
            height = metrics.height()
        else:
            height = metrics.boundingRect(
                QRect(0, 0, max(available, 10), 100_000), int(Qt.TextFlag.TextWordWrap), text
            ).height()
        return QSize(width, height + 2 * self.PADDING + 2)


class AgendaTree(QTreeView):
    """The programme as an expanded tree whose titles and names wrap.

    Time, room and on-stage columns have widths of their own; on a narrow window the room
    and on-stage columns give way, so that the title (which takes the rest) keeps room.
    """

    def __init__(self, model: AgendaModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaTree")
        self.setModel(model)
        self.setItemDelegate(WrappingDelegate(self))
        self.setAlternatingRowColors(False)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setRootIsDecorated(True)
        self.setAllColumnsShowFocus(True)
        self.setIndentation(18)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        for column in range(len(AgendaModel.HEADERS)):
            mode = QHeaderView.ResizeMode.Stretch if column == AgendaModel.TITLE else QHeaderView.ResizeMode.Interactive
            header.setSectionResizeMode(column, mode)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Column widths for the view's current width (the title column takes the rest)."""
        char = self.fontMetrics().averageCharWidth()
        width = self.viewport().width()
        self.setColumnWidth(AgendaModel.TIME, 17 * char + 24)
        self.setColumnWidth(AgendaModel.ROOM, int(min(16 * char + 24, max(10 * char, width * 0.15))))
        self.setColumnWidth(AgendaModel.PEOPLE, int(min(38 * char + 24, max(18 * char, width * 0.3))))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()


class AgendaPage(QWidget):
    """The event's header (title, dates, venue, organisers, funders) above the programme."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: dict[dt.date, list[AgendaEntry]] = {}
        self._detail: EventDetail | None = None
        self._lang = "en"

        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setFont(style.scaled_font(self.font(), 1.5, bold=True))
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("pageSubtitle")
        self.subtitle_label.setWordWrap(True)
        self.partners_label = QLabel()
        self.partners_label.setObjectName("partnerLine")
        self.partners_label.setWordWrap(True)
        self.partners_label.setTextFormat(Qt.TextFormat.RichText)

        self.day_tabs = QTabBar()
        self.day_tabs.setDrawBase(False)
        self.day_tabs.setExpanding(False)
        self.day_tabs.currentChanged.connect(self._on_day_tabs_current_changed)

        self.model = AgendaModel(self)
        self.view = AgendaTree(self.model)
        self.view.header().sectionResized.connect(self._on_header_section_resized)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addWidget(self.partners_label)
        layout.addSpacing(10)
        layout.addWidget(self.day_tabs)
        layout.addWidget(self.view, 1)

    # -- loading ----------------------------------------------------------------------

    def show_event(self, database: Database, detail: EventDetail, lang: str) -> None:
        """Load the agenda of ``detail``'s event and show it in ``lang``."""
        with database.read() as session:
            self._days = load_agenda(session, detail.summary.id, lang)
        self._detail = detail
        self._lang = lang
        self._fill_header()
        previous = self.day_tabs.currentIndex()
        self.day_tabs.blockSignals(True)
        while self.day_tabs.count():
            self.day_tabs.removeTab(0)
        for day in self._days:
            self.day_tabs.addTab(f"{day:%a} {day.day} {day:%B}")
        self.day_tabs.setCurrentIndex(max(0, min(previous, len(self._days) - 1)))
        self.day_tabs.blockSignals(False)
        self.day_tabs.setVisible(len(self._days) > 1)
        self._show_day()

    def days(self) -> list[dt.date]:
        return list(self._days)

    def _show_day(self) -> None:
        days = list(self._days)
        index = self.day_tabs.currentIndex()
        entries = self._days[days[index]] if days and 0 <= index < len(days) else []
        self.model.set_entries(entries, self._lang)
        self.view.expandAll()

    def _fill_header(self) -> None:
        detail = self._detail
        if detail is None:
            return
        ev = detail.summary
        self.title_label.setText(pick(ev.title, self._lang).text or "Untitled event")
        where = ", ".join(t for t in (pick(ev.venue, self._lang).text, pick(ev.city, self._lang).text) if t)
        parts = [f"{ev.starts_on:%A}, {ev.dates()}" if ev.starts_on == ev.ends_on else ev.dates()]
        if where:
            parts.append(where)
        parts.append(f"times in {detail.timezone}")
        self.subtitle_label.setText("  ·  ".join(parts))
        lines = []
        for role in (PartnerRole.ORGANISER, PartnerRole.CO_ORGANISER, PartnerRole.FUNDER, PartnerRole.PARTNER):
            partners = detail.partners_in(role)
            if not partners:
                continue
            singular, plural = labels.PARTNER[role]
            names = ", ".join(_html_localised(pick(p.name, self._lang)) for p in partners)
            lines.append(f"<span style='color:{style.MUTED}'>{singular if len(partners) == 1 else plural}:</span> {names}")
        self.partners_label.setText("<br>".join(lines))
        self.partners_label.setVisible(bool(lines))

    # -- slots ------------------------------------------------------------------------

    def _on_day_tabs_current_changed(self, _index: int) -> None:
        self._show_day()

    def _on_header_section_resized(self, _column: int, _old: int, _new: int) -> None:
        # Wrapped titles change height with their column's width.
        self.view.doItemsLayout()


def _html_localised(value: Localised) -> str:
    escaped = html.escape(value.text)
    return f"<i>{escaped}</i>" if value.fallback else escaped
