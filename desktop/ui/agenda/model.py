"""The outline of a day of the agenda: an item model over ``load_agenda``'s entries, and the
tree view that shows it (titles and names wrap; conflicts and missing translations marked).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from db.models import ItemKind
from db.types import LANGUAGES
from desktop.core import formats, vocabulary
from desktop.core.agenda import AgendaEntry, OnStage, describe_person
from desktop.core.i18n import Localised, pick
from desktop.core.language import NP_, _, p_
from desktop.ui.shell import style

ModelIndex = QModelIndex | QPersistentModelIndex
EntryKey = tuple[Literal["session", "item"], int]

# Items that are pauses in the programme: shown muted, apart from the substance.
PAUSES = frozenset({ItemKind.BREAK, ItemKind.LUNCH})

WARNING_INK = "#b45309"   # conflicts: amber-brown, readable on white
MISSING_INK = "#8a6d00"   # a missing translation

Cell = dict[int, Any]  # role → value, computed once per cell when the entries are set


def entry_key(entry: AgendaEntry) -> EntryKey:
    return ("session", entry.id) if entry.is_session else ("item", entry.id)


@cache
def conflict_icon() -> QIcon:
    """A warning triangle, drawn (no theme icon is needed)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(WARNING_INK), 2))
    painter.setBrush(QColor("#fbbf24"))
    painter.drawPolygon(QPolygonF([QPointF(16, 3), QPointF(30, 28), QPointF(2, 28)]))
    painter.setPen(QPen(QColor("#1d2733"), 3.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(16, 11), QPointF(16, 19))
    painter.drawPoint(QPointF(16, 24))
    painter.end()
    return QIcon(pixmap)


@cache
def missing_icon(code: str) -> QIcon:
    """A small tag with a language code: "this text has no <code> translation"."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(QRectF(1.5, 6.5, 29, 19), 5, 5)
    painter.setPen(QPen(QColor(MISSING_INK), 1.6, Qt.PenStyle.DashLine))
    painter.setBrush(QColor("#fff7d6"))
    painter.drawPath(path)
    font = QFont()
    font.setPixelSize(13)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(MISSING_INK))
    painter.drawText(QRect(0, 6, 32, 20), int(Qt.AlignmentFlag.AlignCenter), code.upper())
    painter.end()
    return QIcon(pixmap)


@dataclass
class _Node:
    entry: AgendaEntry
    parent: int  # node id of the parent; 0 is the root
    row: int
    children: list[int] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)


class AgendaModel(QAbstractItemModel):
    """A day of the agenda: sessions (with their items as children) and top-level items.

    Columns: time, title, room, who is on stage ("Moderator: …", "Speakers: …"), kind.
    Texts are picked in the model's language; a text shown in another language because
    the wanted one is missing is in italics and says so in its tooltip; a title lacking a
    translation carries a tag with the missing language; an entry in conflict carries a
    warning triangle, with the conflicts' sentences in the tooltip. ``UserRole`` gives the
    ``AgendaEntry``.
    """

    TIME, TITLE, ROOM, PEOPLE, KIND = range(5)
    HEADERS = (NP_("agenda column", "Time"), NP_("agenda column", "Session / item"), NP_("agenda column", "Room"),
               NP_("agenda column", "On stage"), NP_("agenda column", "Kind"))
    """The columns' headings (English: the catalogs' messages; ``header`` gives them in the
    interface language)."""

    @classmethod
    def header(cls, column: int) -> str:
        """The heading of ``column`` in the interface language."""
        return p_("agenda column", cls.HEADERS[column])

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = "en"
        self._languages: tuple[str, ...] = LANGUAGES
        self._conflicts: Mapping[EntryKey, Sequence[str]] = {}
        self._nodes: list[_Node | None] = [None]  # node id 0 is the root
        self._top: list[int] = []
        self._by_key: dict[EntryKey, int] = {}
        self._muted = QBrush(QColor(style.MUTED))
        self._pause_background = QBrush(QColor(style.BREAK_BG))

    # -- content ----------------------------------------------------------------------

    @property
    def language(self) -> str:
        return self._lang

    def set_entries(self, entries: Sequence[AgendaEntry], lang: str,
                    conflicts: Mapping[EntryKey, Sequence[str]] | None = None,
                    languages: Sequence[str] = LANGUAGES) -> None:
        """Show ``entries`` (one day, in time order) with texts in ``lang``; ``conflicts``
        holds the sentences of the conflicts of each session or item; ``languages`` are
        those every title should have."""
        self.beginResetModel()
        self._lang = lang
        self._languages = tuple(languages)
        self._conflicts = dict(conflicts or {})
        self._nodes = [None]
        self._by_key = {}
        self._top = [self._add(entry, 0, row) for row, entry in enumerate(entries)]
        self.endResetModel()

    def _add(self, entry: AgendaEntry, parent: int, row: int) -> int:
        node_id = len(self._nodes)
        node = _Node(entry, parent, row)
        self._nodes.append(node)
        self._by_key[entry_key(entry)] = node_id
        node.cells = [self._cell(node, column) for column in range(len(self.HEADERS))]
        node.children = [self._add(child, node_id, i) for i, child in enumerate(entry.children)]
        return node_id

    def entry(self, index: ModelIndex) -> AgendaEntry | None:
        node = self._node(index)
        return node.entry if node is not None else None

    def find(self, key: EntryKey, column: int = 0) -> QModelIndex:
        """The index of a session or item on show, or an invalid one."""
        node_id = self._by_key.get(key)
        if node_id is None:
            return QModelIndex()
        node = self._nodes[node_id]
        assert node is not None
        return self.createIndex(node.row, column, node_id)

    def keys(self) -> list[EntryKey]:
        """Every session and item on show, in the outline's order."""
        out: list[EntryKey] = []

        def walk(ids: list[int]) -> None:
            for node_id in ids:
                node = self._nodes[node_id]
                assert node is not None
                out.append(entry_key(node.entry))
                walk(node.children)

        walk(self._top)
        return out

    def conflicts_of(self, key: EntryKey) -> Sequence[str]:
        return self._conflicts.get(key, ())

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
            return self.header(section)
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self._node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return node.entry
        value = node.cells[index.column()].get(role)
        if role == Qt.ItemDataRole.DecorationRole and value is not None:
            # Icons are made when first shown (they need the application's GUI).
            if QGuiApplication.instance() is None:
                return None
            kind, code = value
            return conflict_icon() if kind == "conflict" else missing_icon(code)
        return value

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
        if column == self.TITLE:
            tooltip = self._title_marks(entry, cell, tooltip)
        if tooltip:
            cell[Qt.ItemDataRole.ToolTipRole] = tooltip
        font = self._font(entry, column)
        if font is not None:
            cell[Qt.ItemDataRole.FontRole] = font
        if column == self.TITLE and not entry.title:
            cell[Qt.ItemDataRole.ForegroundRole] = self._muted
        return cell

    def _title_marks(self, entry: AgendaEntry, cell: Cell, tooltip: str | None) -> str | None:
        """The warning triangle of a conflict, else the tag of a title missing in the
        language shown (the tooltip says what stands in for it, on screen and in print)."""
        conflicts = self._conflicts.get(entry_key(entry), ())
        shown = pick(entry.title, self._lang)
        missing = bool(entry.title) and shown.fallback
        notes: list[str] = []
        if conflicts:
            cell[Qt.ItemDataRole.DecorationRole] = ("conflict", "")
            notes.append(_("Conflicts:") + "\n" + "\n".join(f"• {sentence}" for sentence in conflicts))
        elif missing:
            cell[Qt.ItemDataRole.DecorationRole] = ("missing", self._lang)
        if missing:
            # Translators: {language} and {other} are languages' names ("Kazakh", "English").
            notes.append(_("The printed programme in {language} falls back to the {other} title here too.").format(
                language=vocabulary.language(self._lang), other=vocabulary.language(shown.lang)))
        if not notes:
            return tooltip
        return "\n\n".join([*([tooltip] if tooltip else []), *notes])

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
        if column == self.KIND:
            return p_("item kind", "Session") if entry.kind is None else vocabulary.item_kind(entry.kind)
        localised = self._localised(entry, column)
        if column == self.TITLE and (localised is None or not localised.text):
            return _("Untitled session") if entry.is_session else _("Untitled item")
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
                f"{vocabulary.role(p.role)}: {describe_person(p, self._lang)}"
                for _, _, group in on_stage(entry.people) for p in group
            ]
            return "\n".join(lines) or None
        if column == self.TIME:
            # Translators: a date with its weekday ("Friday, 28 February 2025"), then times.
            return _("{day}, {start}–{end}").format(day=formats.date(entry.starts_at.date(), style="full"),
                                                    start=formats.time(entry.starts_at),
                                                    end=formats.time(entry.ends_at))
        if column == self.KIND:
            return None
        localised = self._localised(entry, column)
        if localised is None:
            return None
        if not localised.text:
            # Translators: {language} is a language's name ("Kazakh").
            return _("No title in any language (wanted: {language}).").format(
                language=vocabulary.language(self._lang))
        if localised.fallback:
            # Translators: {language} and {other} are languages' names ("Kazakh", "English").
            return localised.text + "\n\n" + _("No {language} text yet: shown in {other}.").format(
                language=vocabulary.language(self._lang), other=vocabulary.language(localised.lang))
        return localised.text


def on_stage(people: Sequence[OnStage]) -> list[tuple[str, str, list[OnStage]]]:
    """People grouped by role, leaders first: ``[("Moderator", "A", [...]), ("Speakers", "B, C", [...])]``."""
    groups: list[tuple[str, str, list[OnStage]]] = []
    for kind in vocabulary.ROLE_ORDER:
        group = [p for p in people if p.role == kind]
        if group:
            groups.append((vocabulary.role(kind, several=len(group) > 1), ", ".join(p.name for p in group), group))
    return groups


class WrappingDelegate(QStyledItemDelegate):
    """Row heights that fit wrapped text at the column's current width.

    ``QTreeView`` asks for a row's height without telling the delegate how wide the column
    is, so long titles would be cut; this delegate measures each cell's text against its
    column's real width (and, being asked for every cell, does little else).
    """

    PADDING = 6  # above and below the text: the style sheet's item padding
    MARGIN = 16  # left and right: padding, the style's text margins, and some air
    ICON = 22    # the decoration of a title (icon and its gap)

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        width = self._view.columnWidth(index.column())
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font) if isinstance(font, QFont) else option.fontMetrics
        available = width - self.MARGIN
        if index.data(Qt.ItemDataRole.DecorationRole) is not None:
            available -= self.ICON
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


FITTED = (AgendaModel.TIME, AgendaModel.ROOM, AgendaModel.PEOPLE, AgendaModel.KIND)


class AgendaTree(QTreeView):
    """The programme as an expanded tree whose titles and names wrap.

    Time, room, on-stage and kind columns are as wide as their texts need, measured once
    for the event shown (``fit_to_content``), not at every change; the user may drag them
    (``set_widths`` restores remembered drags, ``widths`` gives them). On a narrow window the
    room and on-stage columns give way (their texts wrap), so that the title, which takes
    the rest, keeps room.
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
        self.setIconSize(QSize(16, 16))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._remembered: dict[int, int] = {}
        self._content: dict[int, int] = {}  # what each column's longest text needs (fit_to_content)
        self._fitting = False
        self._relayout = False  # a column changed width while fitting: lay out once after
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        for column in range(len(AgendaModel.HEADERS)):
            mode = QHeaderView.ResizeMode.Stretch if column == AgendaModel.TITLE else QHeaderView.ResizeMode.Interactive
            header.setSectionResizeMode(column, mode)
        header.sectionResized.connect(self._on_header_section_resized)
        self.fit_columns()

    def set_widths(self, widths: Mapping[int, int]) -> None:
        """Column widths the user chose before (the title column still takes the rest)."""
        self._remembered = {c: w for c, w in widths.items() if c != AgendaModel.TITLE and w > 20}
        self.fit_columns()

    def widths(self) -> dict[int, int]:
        """The widths the user dragged columns to (the others follow their content)."""
        return dict(self._remembered)

    def fit_to_content(self, model: AgendaModel) -> None:
        """Measure the texts of ``model`` (for example every day of the event) once: the time,
        room, on-stage and kind columns become as wide as their longest line (within limits
        that keep the title wide), and the title takes the rest."""
        header_font = self.header().font()
        header_font.setBold(True)
        header_fm = QFontMetrics(header_font)
        own_fm = self.fontMetrics()
        need = {c: header_fm.horizontalAdvance(AgendaModel.header(c)) + 24 for c in FITTED}
        stack = [(QModelIndex(), 0)]
        while stack:
            parent, depth = stack.pop()
            for row in range(model.rowCount(parent)):
                for column in FITTED:
                    index = model.index(row, column, parent)
                    font = index.data(Qt.ItemDataRole.FontRole)
                    fm = QFontMetrics(font) if isinstance(font, QFont) else own_fm
                    lines = str(index.data(Qt.ItemDataRole.DisplayRole) or "").split("\n")
                    text_w = max(fm.horizontalAdvance(line) for line in lines)
                    if column == 0:
                        text_w += self.indentation() * (depth + 1)
                    need[column] = max(need[column], text_w + WrappingDelegate.MARGIN + 4)
                first = model.index(row, 0, parent)
                if model.hasChildren(first):
                    stack.append((first, depth + 1))
        self._content = need
        self.fit_columns()

    def fit_columns(self) -> None:
        """Column widths for the view's current width (the title column takes the rest)."""
        char = self.fontMetrics().averageCharWidth()
        width = self.viewport().width()
        content = self._content
        time = content.get(AgendaModel.TIME, 17 * char + 24)
        room = int(min(content.get(AgendaModel.ROOM, 16 * char + 24), max(10 * char, width * 0.15)))
        kind = content.get(AgendaModel.KIND, 13 * char + 16)
        # Who is on stage gives way first: the title keeps at least as much as it.
        people_room = min(width * 0.3, (width - time - room - kind) * 0.45)
        defaults = {
            AgendaModel.TIME: time,
            AgendaModel.ROOM: room,
            AgendaModel.PEOPLE: int(min(content.get(AgendaModel.PEOPLE, 38 * char + 24), max(18 * char, people_room))),
            AgendaModel.KIND: kind,
        }
        self._fitting = True
        try:
            for column, default in defaults.items():
                self.setColumnWidth(column, self._remembered.get(column, default))
        finally:
            self._fitting = False
        if self._relayout:  # once for all the columns, not once for each
            self._relayout = False
            self.doItemsLayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def _on_header_section_resized(self, column: int, _old: int, new: int) -> None:
        # Wrapped titles change height with their column's width.
        if self._fitting:
            self._relayout = True  # fit_columns lays out once it has set every column
            return
        if column != AgendaModel.TITLE:
            self._remembered[column] = new  # the user dragged it: keep it
        self.doItemsLayout()
