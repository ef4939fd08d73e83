"""The conflicts panel: the agenda's problems as sentences, live, with the way to each.

API
---
``ConflictsPanel(parent=None)``
    A header ("3 conflicts", or "No conflicts" in a calm green) over a list of the
    conflicts' sentences, each with a warning icon drawn for its rule.

``ConflictsPanel.show_conflicts(conflicts: list[Conflict]) -> None``
    Shows these conflicts (from ``desktop.core.conflicts.find_conflicts``), in their order.

``ConflictsPanel.summary``
    A one-line label, "✓ No conflicts" with what was checked in its tooltip, shown only
    while there are none: its owner places it in a line of its own and hides the panel
    then, so that an agenda without conflicts gives the panel's width to the agenda.

Signals
    ``item_activated(int)``: the user activated a row (double-click, or Enter/Return) whose
    conflict names an item; carries the first item id of the conflict.
    ``session_activated(int)``: the same for a conflict that names no item (a session
    without a moderator, a session outside the event's days); carries its first session id.

``ConflictListModel`` is the list's model (a ``QAbstractListModel``): display role the
sentence, decoration role the rule's icon, tool tip the rule's name and the sentence,
``CONFLICT_ROLE`` the ``Conflict`` itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QVBoxLayout, QWidget

from desktop.core import formats
from desktop.core.conflicts import Conflict, Rule, rule_name
from desktop.core.language import _, np_
from desktop.ui.shell import style

ModelIndex = QModelIndex | QPersistentModelIndex

CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 1

# The colour and glyph of each rule's icon: red for a clash, amber for things out of place,
# slate for something missing.
RULE_LOOK: dict[Rule, tuple[str, str]] = {
    Rule.PERSON_DOUBLE_BOOKED: ("#c92a2a", "2"),
    Rule.ROOM_DOUBLE_BOOKED: ("#d9480f", "2"),
    Rule.OUTSIDE_SESSION: ("#e67700", "!"),
    Rule.OUTSIDE_EVENT_DAYS: ("#e67700", "!"),
    Rule.DECLINED_ON_PROGRAMME: ("#c92a2a", "×"),
    Rule.SESSION_WITHOUT_MODERATOR: ("#5c6f8a", "?"),
}
CONFLICT_INK = "#b8420f"  # the header when there are conflicts


@cache
def rule_icon(rule: Rule) -> QIcon:
    """A warning triangle in the rule's colour with its glyph, at 16 and 32 pixels."""
    colour, glyph = RULE_LOOK[rule]
    icon = QIcon()
    for size in (16, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = float(size)
        path = QPainterPath()
        path.moveTo(QPointF(s / 2, s * 0.06))
        path.lineTo(QPointF(s * 0.97, s * 0.92))
        path.lineTo(QPointF(s * 0.03, s * 0.92))
        path.closeSubpath()
        painter.setPen(QPen(QColor(colour), s / 16, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(QColor(colour))
        painter.drawPath(path)
        font = QFont()
        font.setPixelSize(round(s * 0.55))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, s * 0.3, s, s * 0.6), Qt.AlignmentFlag.AlignCenter, glyph)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class ConflictListModel(QAbstractListModel):
    """The conflicts as a flat list: one row per conflict, read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._conflicts: list[Conflict] = []

    def set_conflicts(self, conflicts: Sequence[Conflict]) -> None:
        self.beginResetModel()
        self._conflicts = list(conflicts)
        self.endResetModel()

    def conflict_at(self, row: int) -> Conflict | None:
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._conflicts)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        conflict = self.conflict_at(index.row())
        if conflict is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return conflict.message
        if role == Qt.ItemDataRole.DecorationRole:
            return rule_icon(conflict.rule)
        if role == Qt.ItemDataRole.ToolTipRole:
            # Translators: a conflict's tooltip: the rule's name, then the sentence.
            return _("{rule}: {sentence}").format(rule=rule_name(conflict.rule), sentence=conflict.message)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{rule_name(conflict.rule)}. {conflict.message}"
        if role == CONFLICT_ROLE:
            return conflict
        return None


def checked() -> str:
    """What the check looks at (the calm panel's sentence and the summary's tooltip)."""
    return _("Checked as you edit: nobody is in two places at once, no room holds two items at once, "
             "every item is inside its session and the event's days, nobody who declined is on the "
             "programme, every session has a moderator.")


def header_text(count: int) -> str:
    if count == 0:
        return _("No conflicts")
    return np_("agenda", "{n} conflict", "{n} conflicts", count).format(n=formats.number(count))


class ConflictsPanel(QWidget):
    """The agenda's conflicts: a count and a list of sentences.

    Signals:
        item_activated(int): a row was activated (double-click, Enter); the conflict's first
            item id.
        session_activated(int): a row naming no item was activated; its first session id.
    """

    item_activated = Signal(int)
    session_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsPanel")
        self.header = QLabel()
        self.header.setObjectName("conflictsHeader")
        self.header.setFont(style.scaled_font(self.font(), 1.05, bold=True))
        self.model = ConflictListModel(self)
        self.view = QListView()
        self.view.setObjectName("conflictsList")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSpacing(1)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAccessibleName(_("Conflicts in the agenda"))
        self.view.setStyleSheet("QListView#conflictsList::item { padding: 4px 2px; }")
        self.view.activated.connect(self._on_view_activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        # With nothing to list, a sentence says what was checked instead of an empty box.
        self.calm = QLabel(checked())
        self.calm.setObjectName("conflictsCalm")
        self.calm.setWordWrap(True)
        self.calm.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.calm.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.calm)
        layout.addStretch(0)
        # The single line that stands for the panel while there is nothing to list.
        self.summary = QLabel(f"✓ {header_text(0)}")
        self.summary.setObjectName("conflictsSummary")
        self.summary.setToolTip(checked())
        self.summary.setAccessibleName(f"{header_text(0)}. {checked()}")
        # Bold as a font, not in the style sheet: the label's width is measured with it (the
        # last word was cut off, in Kazakh, beside a full toolbar).
        self.summary.setFont(style.scaled_font(self.font(), 1.0, bold=True))
        self.summary.setStyleSheet(f"color: {style.SUCCESS};")
        self.show_conflicts([])

    def show_conflicts(self, conflicts: list[Conflict]) -> None:
        """Show these conflicts; the header counts them."""
        self.model.set_conflicts(conflicts)
        count = len(conflicts)
        self.header.setText(header_text(count))
        colour = style.SUCCESS if count == 0 else CONFLICT_INK
        self.header.setStyleSheet(f"color: {colour};")
        self.view.setToolTip("" if count else _("Nothing in the agenda clashes."))
        self.view.setVisible(count > 0)
        self.calm.setVisible(count == 0)
        self.summary.setVisible(count == 0)

    def conflicts(self) -> list[Conflict]:
        return [c for row in range(self.model.rowCount()) if (c := self.model.conflict_at(row))]

    def _on_view_activated(self, index: QModelIndex) -> None:
        conflict = self.model.conflict_at(index.row())
        if conflict is None:
            return
        if conflict.item_ids:
            self.item_activated.emit(conflict.item_ids[0])
        elif conflict.session_ids:
            self.session_activated.emit(conflict.session_ids[0])
