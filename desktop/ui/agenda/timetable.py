"""The timetable of one day: time running down, one column per room, items as blocks.

API
---
``TimetableBlock`` (frozen dataclass)
    ``item_id: int | None`` (``None`` for a session's band), ``session_id: int | None`` (the
    session itself, or the item's session), ``room_id: int | None``, ``starts_at`` and
    ``ends_at`` (naive local datetimes, as stored), ``title``, ``subtitle`` (who is on:
    speakers of an item, moderators of a session), ``colour`` ("#rrggbb": the session's
    colour; ``None`` for the kind's own), ``kind: ItemKind | None`` (``None`` for a band).

``blocks_for_day(agenda, day, lang="en", rooms=None) -> list[TimetableBlock]``
    The blocks of ``day`` from ``desktop.core.agenda.load_agenda`` output (the whole
    mapping by day, or one day's list of entries): a band per session and a block per item;
    items of a session take its colour and, when they have no room of their own, its room.
    An entry's room id is its ``room_id`` attribute when it has one; otherwise the room is
    found by its name in ``lang`` among ``rooms`` (the same list ``set_day`` takes).

``TimetableView(parent=None)`` (a ``QAbstractScrollArea``)
    ``set_day(day, rooms, blocks, conflicts_by_item=None, conflicts_by_session=None)``: show
    ``day``; ``rooms`` is ``[(room_id, name), ...]`` in column order (a "No room" column is
    added when a block has no room); ``conflicts_by_item`` and ``conflicts_by_session`` map
    item and session ids to the sentences of their conflicts (or to ``Conflict`` objects,
    whose ``message`` is used): those blocks and bands get a red border, a warning sign and
    the sentences in their tooltip. The selection is kept when its item is still there.
    ``select_item(item_id | None)`` selects without emitting; ``selected_item()``;
    ``block_rect(item_id) -> QRect`` and ``band_rect(session_id) -> QRect`` (viewport
    coordinates); ``tooltip_at(pos) -> str``; ``blocks()``; ``day()``;
    ``set_zoom(pixels_per_minute)`` / ``zoom()``.

    Things that overlap in one room sit side by side, as in a calendar's day view: a
    session's band (with its items inside it) or an item of its own takes one lane of the
    room's column for as long as the run of overlapping things lasts; items that overlap
    inside one band share the band's width the same way. Every block and band has a tooltip
    with its whole title, time, room and people (a title cut on screen is whole there).

    The view never writes to the database. When the user moves or stretches a block it
    shows the new times at once (optimistically) and emits a signal; the page turns that
    into an undo command and calls ``set_day`` again with what the database now holds (or
    the old blocks, if the change was refused).

Signals
    ``item_selected(int)``: the user selected an item (click, arrows, Tab).
    ``item_activated(int)``: the user activated an item (double-click, Enter/Return).
    ``session_activated(int)``: the user double-clicked a session's band.
    ``item_retimed(int, object, object)``: item id, new start, new end (``datetime``) —
        after a drag of the block (move) or of its lower edge (length), snapped to 5
        minutes, or Alt+Up/Down (move by 5 minutes), Alt+Shift+Up/Down (length by 5).
    ``item_moved(int, object, object, object)``: item id, start, end, room id (``int`` or
        ``None``) — a drag that also took the block into another room's column, or
        Alt+Left/Right (the next room, same times). Only this signal fires for such a move.

Keyboard: arrows move the selection (up/down within a room, left/right across rooms), Tab
and Shift+Tab through all items in time order, Home/End; Enter activates; Alt+arrows and
Alt+Shift+Up/Down edit as above; Escape cancels a drag; Ctrl++ / Ctrl+- / Ctrl+0 zoom (also
Ctrl+wheel). Dragging shows the new times on the block while the mouse moves.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from db.models import ItemKind
from desktop.core import formats
from desktop.core.agenda import AgendaEntry
from desktop.core.i18n import text
from desktop.core.language import N_, _, p_
from desktop.ui.shell import style

SNAP = 5  # minutes: drags snap to this, keys move by it
MIN_LENGTH = dt.timedelta(minutes=SNAP)
HEADER_H = 34
GUTTER_W = 58
MIN_COLUMN_W = 190
EDGE = 6  # pixels above a block's lower edge where dragging changes its length
BAND_STRIPE = 18  # a session band's coloured spine, carrying its title
DEFAULT_ZOOM = 2.0  # pixels per minute: an hour is 120 pixels
ZOOMS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
# English: the catalogs' messages, translated where shown.
NO_ROOM = N_("No room")
MOVE_HINT = N_("Drag to move; drag the lower edge to change the length.")
BAND_HINT = N_("Double-click to edit the session.")

CONFLICT_EDGE = "#c92a2a"  # red: the conflicts panel's colour for a clash
LANE_MIN_W = 110  # an item's lane is never narrower: the column widens (and scrolls) instead
LANE_GAP = 4
TITLE_MIN_W = 70  # a title's first line is never squeezed narrower beside the time
KIND_COLOUR: dict[ItemKind, str] = {
    ItemKind.REGISTRATION: "#6b7687",
    ItemKind.OPENING: "#7048a8",
    ItemKind.KEYNOTE: "#2f5d9b",
    ItemKind.PRESENTATION: "#2f5d9b",
    ItemKind.PANEL: "#1f7a8c",
    ItemKind.DISCUSSION: "#1f7a8c",
    ItemKind.QA: "#1f7a8c",
    ItemKind.BREAK: "#9aa3b2",
    ItemKind.LUNCH: "#9aa3b2",
    ItemKind.CEREMONY: "#7048a8",
    ItemKind.CLOSING: "#7048a8",
    ItemKind.OTHER: "#6b7687",
}
QUIET_KINDS = frozenset({ItemKind.BREAK, ItemKind.LUNCH, ItemKind.REGISTRATION})


@dataclass(frozen=True)
class TimetableBlock:
    """An item or a session's band in the timetable (see the module's docstring)."""

    item_id: int | None
    session_id: int | None
    room_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str
    subtitle: str = ""
    colour: str | None = None
    kind: ItemKind | None = None

    @property
    def is_session(self) -> bool:
        return self.item_id is None

    def times(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


_MISSING = object()


def blocks_for_day(agenda: Mapping[dt.date, Sequence[AgendaEntry]] | Sequence[AgendaEntry], day: dt.date,
                   lang: str = "en", rooms: Sequence[tuple[int | None, str]] | None = None) -> list[TimetableBlock]:
    """The day's blocks from ``load_agenda`` output: session bands, then items, in time order."""
    entries = agenda.get(day, []) if isinstance(agenda, Mapping) else [e for e in agenda if e.starts_at.date() == day]
    by_name = {name: rid for rid, name in (rooms or ()) if rid is not None}

    def room_of(entry: AgendaEntry) -> int | None:
        rid = getattr(entry, "room_id", _MISSING)
        if rid is not _MISSING:
            return rid  # type: ignore[return-value]
        return by_name.get(text(entry.room, lang)) if entry.room else None

    def names(entry: AgendaEntry) -> str:
        return ", ".join(p.name for p in entry.people)

    bands: list[TimetableBlock] = []
    items: list[TimetableBlock] = []
    for entry in entries:
        title = text(entry.title, lang)
        if entry.is_session:
            room = room_of(entry)
            bands.append(TimetableBlock(None, entry.id, room, entry.starts_at, entry.ends_at, title,
                                        names(entry), entry.colour, None))
            for child in entry.children:
                child_room = room_of(child)
                items.append(TimetableBlock(
                    child.id, entry.id, child_room if child_room is not None else room,
                    child.starts_at, child.ends_at, text(child.title, lang), names(child),
                    entry.colour, child.kind,
                ))
        else:
            items.append(TimetableBlock(entry.id, None, room_of(entry), entry.starts_at, entry.ends_at,
                                        title, names(entry), None, entry.kind))
    items.sort(key=lambda b: (b.starts_at, b.ends_at))
    return bands + items


def _minutes(at: dt.datetime, day: dt.date) -> float:
    return (at - dt.datetime.combine(day, dt.time(0))).total_seconds() / 60


def _snap(at: dt.datetime) -> dt.datetime:
    """``at`` rounded to the nearest 5 minutes."""
    midnight = dt.datetime.combine(at.date(), dt.time(0))
    minutes = (at - midnight).total_seconds() / 60
    return midnight + dt.timedelta(minutes=SNAP * round(minutes / SNAP))


def pack_lanes(spans: Sequence[tuple[dt.datetime, dt.datetime]]) -> list[tuple[int, int]]:
    """Lanes for time spans sorted by start, as a calendar's day view lays out its events.

    Returns, for each span, ``(lane, lanes)``: the lane it takes (the first one free when it
    starts) and how many lanes its run of overlapping spans needs (the run's width is shared
    by that many). Spans that only touch (one ends when the next starts) do not overlap.
    """
    out: list[tuple[int, int]] = []
    run_start = 0
    run_end: dt.datetime | None = None
    ends: list[dt.datetime] = []  # the end of the last span in each lane of the run

    def close_run() -> None:
        for i in range(run_start, len(out)):
            out[i] = (out[i][0], len(ends))

    for start, end in spans:
        if run_end is not None and start >= run_end:
            close_run()
            run_start, ends = len(out), []
        for lane, lane_end in enumerate(ends):
            if lane_end <= start:
                ends[lane] = end
                out.append((lane, 0))
                break
        else:
            ends.append(end)
            out.append((len(ends) - 1, 0))
        run_end = end if run_end is None or start >= run_end else max(run_end, end)
    close_run()
    return out


@dataclass
class _Unit:
    """What takes a lane of a room's column: a session's band with its items there, or an
    item on its own."""

    band: TimetableBlock | None
    items: list[TimetableBlock]
    starts_at: dt.datetime
    ends_at: dt.datetime

    def take(self, item: TimetableBlock) -> None:
        self.items.append(item)
        self.starts_at = min(self.starts_at, item.starts_at)
        self.ends_at = max(self.ends_at, item.ends_at)


def wrap_lines(fm: QFontMetrics, value: str, width: int, max_lines: int, first_indent: int = 0) -> list[str]:
    """``value`` broken into at most ``max_lines`` lines of ``width`` pixels at spaces (the
    first line ``first_indent`` pixels shorter); the last line ends in "…" when text is left
    over; a word wider than a line is elided."""
    if max_lines <= 0 or width <= 0:
        return []
    words = value.split()
    lines: list[str] = []
    current = ""
    i = 0

    def room() -> int:
        return max(1, width - (first_indent if not lines else 0))

    while i < len(words):
        candidate = f"{current} {words[i]}" if current else words[i]
        if fm.horizontalAdvance(candidate) <= room():
            current = candidate
            i += 1
            continue
        if not current:  # one word wider than the line
            if lines or first_indent == 0:
                current = fm.elidedText(words[i], Qt.TextElideMode.ElideRight, room())
                i += 1
        lines.append(current)
        current = ""
        if len(lines) == max_lines:
            break
    if current and len(lines) < max_lines:
        lines.append(current)
    if i < len(words) and lines:
        last = len(lines) - 1
        rest = " ".join(w for w in [lines[-1], *words[i:]] if w)
        lines[-1] = fm.elidedText(rest, Qt.TextElideMode.ElideRight,
                                  max(1, width - (first_indent if last == 0 else 0)))
    return lines


@dataclass
class _Drag:
    item_id: int
    mode: str  # "move" or "resize"
    press: QPoint
    original: TimetableBlock
    started: bool = False
    preview: TimetableBlock | None = None


class TimetableView(QAbstractScrollArea):
    """A day's timetable; see the module's docstring for the API.

    Signals:
        item_selected(int): an item was selected by the user.
        item_activated(int): an item was double-clicked or Enter was pressed on it.
        session_activated(int): a session's band was double-clicked.
        item_retimed(int, object, object): an item's new start and end, from a drag or keys.
        item_moved(int, object, object, object): an item's new start, end and room.
    """

    item_selected = Signal(int)
    item_activated = Signal(int)
    session_activated = Signal(int)
    item_retimed = Signal(int, object, object)
    item_moved = Signal(int, object, object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timetable")
        self.setAccessibleName(p_("agenda view", "Timetable"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self._day = dt.date.today()
        self._rooms: list[tuple[int | None, str]] = []
        self._blocks: list[TimetableBlock] = []
        self._conflicts: dict[int, list[str]] = {}
        self._session_conflicts: dict[int, list[str]] = {}
        self._selected: int | None = None
        self._drag: _Drag | None = None
        self.moved_from: TimetableBlock | None = None  # the block as it was before the last drag or keys moved it
        self._zoom = DEFAULT_ZOOM
        self._first_minute = 8 * 60
        self._last_minute = 18 * 60
        self._column_w = MIN_COLUMN_W
        self._item_rects: dict[int, QRectF] = {}  # content coordinates
        self._band_rects: list[tuple[TimetableBlock, QRectF]] = []
        self._small = style.scaled_font(self.font(), 0.86)
        self._bold = style.scaled_font(self.font(), 0.95, bold=True)
        self._body = style.scaled_font(self.font(), 0.86)
        self._band_font = style.scaled_font(self.font(), 0.8, bold=True)

    # -- content ------------------------------------------------------------------------

    def set_day(self, day: dt.date, rooms: list[tuple[int | None, str]], blocks: list[TimetableBlock],
                conflicts_by_item: Mapping[int, Sequence[Any]] | None = None,
                conflicts_by_session: Mapping[int, Sequence[Any]] | None = None) -> None:
        """Show ``blocks`` of ``day`` in the columns of ``rooms`` (see the module's docstring)."""
        self._drag = None
        self._day = day
        self._blocks = [b for b in blocks if b.starts_at.date() == day or b.ends_at.date() == day]
        self._rooms = list(rooms)
        known = {rid for rid, _ in self._rooms}
        if any(b.room_id is None or b.room_id not in known for b in self._blocks) and None not in known:
            self._rooms.append((None, _(NO_ROOM)))
        self._conflicts = _sentences(conflicts_by_item)
        self._session_conflicts = _sentences(conflicts_by_session)
        if self._selected is not None and self._block(self._selected) is None:
            self._selected = None
        self._relayout()

    def day(self) -> dt.date:
        return self._day

    def blocks(self) -> list[TimetableBlock]:
        return list(self._blocks)

    def selected_item(self) -> int | None:
        return self._selected

    def select_item(self, item_id: int | None) -> None:
        """Select an item (or nothing) without emitting ``item_selected``; scroll to it."""
        self._selected = item_id if item_id is not None and self._block(item_id) is not None else None
        if self._selected is not None:
            self.ensure_visible(self._selected)
        self.viewport().update()

    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, pixels_per_minute: float) -> None:
        self._zoom = min(max(pixels_per_minute, ZOOMS[0]), ZOOMS[-1])
        self._relayout()

    def block_rect(self, item_id: int) -> QRect:
        """Where the item's block is drawn, in viewport coordinates (empty when unknown)."""
        rect = self._item_rects.get(item_id)
        if rect is None:
            return QRect()
        return self._to_view(rect).toAlignedRect()

    def band_rect(self, session_id: int) -> QRect:
        """Where the session's band is drawn, in viewport coordinates (empty when unknown)."""
        rect = next((r for b, r in self._band_rects if b.session_id == session_id), None)
        if rect is None:
            return QRect()
        return self._to_view(rect).toAlignedRect()

    def ensure_visible(self, item_id: int) -> None:
        rect = self._item_rects.get(item_id)
        if rect is None:
            return
        area = self._area()
        v, h = self.verticalScrollBar(), self.horizontalScrollBar()
        if rect.top() < v.value():
            v.setValue(int(rect.top()) - 8)
        elif rect.bottom() > v.value() + area.height():
            v.setValue(int(min(rect.top() - 8, rect.bottom() - area.height() + 8)))
        if rect.left() < h.value():
            h.setValue(int(rect.left()) - 4)
        elif rect.right() > h.value() + area.width():
            h.setValue(int(rect.right() - area.width() + 4))

    def sizeHint(self) -> QSize:
        return QSize(760, 560)

    # -- geometry -----------------------------------------------------------------------

    def _block(self, item_id: int) -> TimetableBlock | None:
        return next((b for b in self._blocks if b.item_id == item_id), None)

    def _column_of(self, room_id: int | None) -> int:
        for i, (rid, _name) in enumerate(self._rooms):
            if rid == room_id:
                return i
        return len(self._rooms) - 1 if self._rooms and self._rooms[-1][0] is None else 0

    def _area(self) -> QRect:
        """The part of the viewport that scrolls (below the header, right of the gutter)."""
        vp = self.viewport().rect()
        return QRect(GUTTER_W, HEADER_H, max(0, vp.width() - GUTTER_W), max(0, vp.height() - HEADER_H))

    def _y(self, at: dt.datetime) -> float:
        return (_minutes(at, self._day) - self._first_minute) * self._zoom + 8

    def _at(self, y: float) -> dt.datetime:
        minutes = (y - 8) / self._zoom + self._first_minute
        return dt.datetime.combine(self._day, dt.time(0)) + dt.timedelta(minutes=minutes)

    def _to_view(self, rect: QRectF) -> QRectF:
        return rect.translated(GUTTER_W - self.horizontalScrollBar().value(),
                               HEADER_H - self.verticalScrollBar().value())

    def _to_content(self, pos: QPoint | QPointF) -> QPointF:
        return QPointF(pos.x() - GUTTER_W + self.horizontalScrollBar().value(),
                       pos.y() - HEADER_H + self.verticalScrollBar().value())

    def _relayout(self) -> None:
        """Work out the day's span, the columns and every block's rectangle."""
        if self._blocks:
            first = min(_minutes(b.starts_at, self._day) for b in self._blocks)
            last = max(_minutes(b.ends_at, self._day) for b in self._blocks)
            self._first_minute = max(0, int(math.floor(first / 60)) * 60 - 30)
            self._last_minute = min(24 * 60, int(math.ceil(last / 60)) * 60 + 30)
        else:
            self._first_minute, self._last_minute = 8 * 60, 18 * 60
        units = self._units()
        columns = max(1, len(self._rooms))
        area = self._area()
        fair = area.width() // columns if area.width() else MIN_COLUMN_W
        self._column_w = max(MIN_COLUMN_W, fair, self._needed_column_width(units))
        content_w = self._column_w * columns
        content_h = int((self._last_minute - self._first_minute) * self._zoom) + 16
        self.horizontalScrollBar().setRange(0, max(0, content_w - area.width()))
        self.horizontalScrollBar().setPageStep(max(1, area.width()))
        self.horizontalScrollBar().setSingleStep(40)
        self.verticalScrollBar().setRange(0, max(0, content_h - area.height()))
        self.verticalScrollBar().setPageStep(max(1, area.height()))
        self.verticalScrollBar().setSingleStep(int(15 * self._zoom))

        # Runs of overlapping units in a column share its width, side by side, so none hides
        # another; inside a band, its overlapping items share the band's width likewise.
        self._band_rects = []
        self._item_rects = {}
        for col, col_units in units.items():
            left, right = col * self._column_w + 3, (col + 1) * self._column_w - 3
            for unit, (lane, lanes) in zip(col_units, pack_lanes([(u.starts_at, u.ends_at) for u in col_units]),
                                           strict=True):
                lane_w = (right - left + LANE_GAP) / lanes
                x0 = left + lane * lane_w
                x1 = x0 + lane_w - LANE_GAP
                inner_left = x0 + 5
                if unit.band is not None:
                    top, bottom = self._y(unit.band.starts_at), self._y(unit.band.ends_at)
                    self._band_rects.append((unit.band, QRectF(x0, top, x1 - x0, max(4.0, bottom - top))))
                    inner_left = x0 + BAND_STRIPE + 5
                self._place_items(unit.items, inner_left, x1 - 5)
        self.viewport().update()

    def _units(self) -> dict[int, list[_Unit]]:
        """Each column's units (bands with their items there, and items of their own), by start."""
        units: dict[int, list[_Unit]] = {}
        band_units: dict[tuple[int, int], _Unit] = {}  # (session id, column)
        for b in self._blocks:
            if b.is_session:
                col = self._column_of(b.room_id)
                unit = _Unit(b, [], b.starts_at, b.ends_at)
                units.setdefault(col, []).append(unit)
                if b.session_id is not None:
                    band_units[(b.session_id, col)] = unit
        for b in self._blocks:
            if b.is_session:
                continue
            col = self._column_of(b.room_id)
            band = band_units.get((b.session_id, col)) if b.session_id is not None else None
            if band is not None:
                band.take(b)
            else:
                units.setdefault(col, []).append(_Unit(None, [b], b.starts_at, b.ends_at))
        for col_units in units.values():
            col_units.sort(key=lambda u: (u.starts_at, u.ends_at, u.band is None))
            for unit in col_units:
                unit.items.sort(key=lambda b: (b.starts_at, b.ends_at))
        return units

    @staticmethod
    def _needed_column_width(units: Mapping[int, list[_Unit]]) -> int:
        """The width a column needs so that no item's lane is narrower than ``LANE_MIN_W``."""
        needed = 0
        for col_units in units.values():
            lanes = pack_lanes([(u.starts_at, u.ends_at) for u in col_units])
            for unit, (_lane, shared) in zip(col_units, lanes, strict=True):
                inner = max((n for _, n in pack_lanes([(b.starts_at, b.ends_at) for b in unit.items])), default=1)
                own = inner * LANE_MIN_W + (BAND_STRIPE + 10 if unit.band is not None else 10) + LANE_GAP
                needed = max(needed, shared * own + 6)
        return needed

    def _place_items(self, items: list[TimetableBlock], left: float, right: float) -> None:
        """Rectangles for ``items`` (sorted by start) between ``left`` and ``right``."""
        for b, (lane, lanes) in zip(items, pack_lanes([(b.starts_at, b.ends_at) for b in items]), strict=True):
            gap = 2 if lanes > 1 else 0
            lane_w = (right - left) / lanes
            top, bottom = self._y(b.starts_at), self._y(b.ends_at)
            assert b.item_id is not None
            self._item_rects[b.item_id] = QRectF(left + lane * lane_w + 1, top + 1, lane_w - 2 - gap,
                                                 max(6.0, bottom - top - 2))

    def _item_at(self, pos: QPoint | QPointF) -> int | None:
        if pos.x() < GUTTER_W or pos.y() < HEADER_H:
            return None
        point = self._to_content(pos)
        for iid, rect in self._item_rects.items():
            if rect.contains(point):
                return iid
        return None

    def _band_at(self, pos: QPoint | QPointF) -> TimetableBlock | None:
        if pos.x() < GUTTER_W or pos.y() < HEADER_H:
            return None
        point = self._to_content(pos)
        return next((b for b, rect in self._band_rects if rect.contains(point)), None)

    def _on_lower_edge(self, item_id: int, pos: QPoint | QPointF) -> bool:
        rect = self._item_rects[item_id]
        point = self._to_content(pos)
        return rect.height() >= 14 and rect.bottom() - EDGE <= point.y() <= rect.bottom() + 1

    # -- painting -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        vp = self.viewport().rect()
        painter.fillRect(vp, QColor(style.SURFACE))
        area = self._area()
        painter.save()
        painter.setClipRect(area)
        self._paint_grid(painter, area)
        for block, rect in self._band_rects:
            self._paint_band(painter, block, self._to_view(rect))
        dragged = self._drag.item_id if self._drag is not None and self._drag.preview is not None else None
        for iid, rect in self._item_rects.items():
            block = self._block(iid)
            if block is not None:
                self._paint_item(painter, block, self._to_view(rect), ghost=iid == dragged)
        if self._drag is not None and self._drag.preview is not None:
            self._paint_item(painter, self._drag.preview, self._preview_rect(self._drag.preview), preview=True)
        painter.restore()
        self._paint_header(painter, vp)
        self._paint_gutter(painter, vp)
        painter.end()

    def _paint_grid(self, painter: QPainter, area: QRect) -> None:
        hx = self.horizontalScrollBar().value()
        vy = self.verticalScrollBar().value()
        for c in range(len(self._rooms)):
            x = GUTTER_W + c * self._column_w - hx
            if c % 2:
                painter.fillRect(QRectF(x, area.top(), self._column_w, area.height()), QColor("#fbfcfd"))
        minute = self._first_minute
        while minute <= self._last_minute:
            y = HEADER_H + (minute - self._first_minute) * self._zoom + 8 - vy
            if minute % 60 == 0:
                painter.setPen(QPen(QColor(style.LINE), 1))
            elif minute % 30 == 0:
                painter.setPen(QPen(QColor("#eceff4"), 1))
            else:
                minute += 15
                continue
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right() + 1, y))
            minute += 15
        painter.setPen(QPen(QColor(style.LINE), 1))
        for c in range(1, len(self._rooms) + 1):
            x = GUTTER_W + c * self._column_w - hx
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom() + 1))

    def _paint_header(self, painter: QPainter, vp: QRect) -> None:
        painter.fillRect(QRect(0, 0, vp.width(), HEADER_H), QColor(style.CANVAS))
        painter.setPen(QPen(QColor(style.LINE), 1))
        painter.drawLine(0, HEADER_H - 1, vp.width(), HEADER_H - 1)
        hx = self.horizontalScrollBar().value()
        painter.save()
        painter.setClipRect(QRect(GUTTER_W, 0, vp.width() - GUTTER_W, HEADER_H))
        font = style.scaled_font(self.font(), 0.95, bold=True)
        painter.setFont(font)
        fm = QFontMetrics(font)
        for c, (rid, name) in enumerate(self._rooms):
            x = GUTTER_W + c * self._column_w - hx
            cell = QRect(int(x) + 8, 0, self._column_w - 16, HEADER_H - 1)
            painter.setPen(QColor(style.FAINT if rid is None else style.INK))
            painter.drawText(cell, int(Qt.AlignmentFlag.AlignCenter),
                             fm.elidedText(name, Qt.TextElideMode.ElideRight, cell.width()))
            painter.setPen(QPen(QColor(style.LINE), 1))
            painter.drawLine(int(x + self._column_w), 6, int(x + self._column_w), HEADER_H - 7)
        painter.restore()
        painter.fillRect(QRect(0, 0, GUTTER_W, HEADER_H), QColor(style.CANVAS))
        painter.setPen(QColor(style.MUTED))
        painter.setFont(self._small)
        painter.drawText(QRect(0, 0, GUTTER_W - 6, HEADER_H - 1),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                         formats.day_month(self._day, short=True))
        painter.setPen(QPen(QColor(style.LINE), 1))
        painter.drawLine(GUTTER_W - 1, 0, GUTTER_W - 1, HEADER_H - 1)

    def _paint_gutter(self, painter: QPainter, vp: QRect) -> None:
        gutter = QRect(0, HEADER_H, GUTTER_W, vp.height() - HEADER_H)
        painter.fillRect(gutter, QColor(style.CANVAS))
        painter.setPen(QPen(QColor(style.LINE), 1))
        painter.drawLine(GUTTER_W - 1, HEADER_H, GUTTER_W - 1, vp.height())
        painter.save()
        painter.setClipRect(gutter)
        vy = self.verticalScrollBar().value()
        painter.setFont(self._small)
        fm = QFontMetrics(self._small)
        minute = self._first_minute
        while minute <= self._last_minute:
            y = HEADER_H + (minute - self._first_minute) * self._zoom + 8 - vy
            if minute % 60 == 0:
                painter.setPen(QColor(style.INK))
                painter.drawText(QRectF(0, y - fm.height() / 2, GUTTER_W - 12, fm.height()),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                                 f"{minute // 60:02d}:00")
                painter.setPen(QPen(QColor(style.FAINT), 1))
                painter.drawLine(QPointF(GUTTER_W - 8, y), QPointF(GUTTER_W - 1, y))
            else:
                painter.setPen(QPen(QColor(style.LINE if minute % 30 else style.FAINT), 1))
                length = 6 if minute % 30 == 0 else 4
                painter.drawLine(QPointF(GUTTER_W - 1 - length, y), QPointF(GUTTER_W - 1, y))
                if minute % 30 == 0 and self._zoom >= 2.5:
                    painter.setPen(QColor(style.FAINT))
                    painter.drawText(QRectF(0, y - fm.height() / 2, GUTTER_W - 12, fm.height()),
                                     int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                                     f":{minute % 60:02d}")
            minute += 15
        painter.restore()

    def _paint_band(self, painter: QPainter, block: TimetableBlock, rect: QRectF) -> None:
        colour = QColor(block.colour or style.ACCENT)
        tint = QColor(colour)
        tint.setAlphaF(0.10)
        path = QPainterPath()
        path.addRoundedRect(rect, 5, 5)
        painter.fillPath(path, tint)
        conflicts = block.session_id is not None and bool(self._session_conflicts.get(block.session_id))
        edge = QColor(colour)
        edge.setAlphaF(0.35)
        painter.setPen(QPen(QColor(CONFLICT_EDGE), 2) if conflicts else QPen(edge, 1))
        painter.drawPath(path)
        spine = QPainterPath()
        spine.addRoundedRect(QRectF(rect.left(), rect.top(), BAND_STRIPE, rect.height()), 5, 5)
        painter.fillPath(spine, colour)
        sign = 0
        if conflicts:  # the warning sign at the top of the spine, on a white disc
            sign = 18
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("white"))
            painter.drawEllipse(QRectF(rect.left() + 1, rect.top() + 2, BAND_STRIPE - 2, BAND_STRIPE - 2))
            self._paint_warning(painter, QRectF(rect.left() + 3, rect.top() + 4, BAND_STRIPE - 6, 12))
        # The session's title along the spine, reading upwards.
        painter.save()
        painter.setFont(self._band_font)
        fm = QFontMetrics(self._band_font)
        painter.translate(rect.left() + BAND_STRIPE / 2, rect.bottom() - 6)
        painter.rotate(-90)
        length = int(rect.height() - 12 - sign)
        label = fm.elidedText(block.title, Qt.TextElideMode.ElideRight, max(0, length))
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, -fm.height() / 2, length, fm.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)
        painter.restore()

    def _paint_item(self, painter: QPainter, block: TimetableBlock, rect: QRectF, *,
                    ghost: bool = False, preview: bool = False) -> None:
        assert block.item_id is not None
        selected = block.item_id == self._selected
        conflicts = self._conflicts.get(block.item_id)
        quiet = block.kind in QUIET_KINDS
        accent = QColor(block.colour or KIND_COLOUR.get(block.kind or ItemKind.OTHER, style.MUTED))
        painter.save()
        if ghost:
            painter.setOpacity(0.35)
        path = QPainterPath()
        path.addRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        fill = QColor(style.ACCENT_SOFT) if selected else QColor(style.BREAK_BG if quiet else style.SURFACE)
        painter.fillPath(path, fill)
        # The accent bar on the left.
        painter.save()
        painter.setClipPath(path)
        painter.fillRect(QRectF(rect.left(), rect.top(), 4, rect.height()), accent)
        painter.restore()
        if conflicts:
            pen = QPen(QColor(CONFLICT_EDGE), 2)
        elif selected or preview:
            pen = QPen(QColor(style.ACCENT), 2)
        else:
            pen = QPen(QColor("#c9d1dc"), 1)
        if preview:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(path)
        if selected and conflicts:  # selected and in conflict: both, the selection inside
            painter.setPen(QPen(QColor(style.ACCENT), 1))
            inner = QPainterPath()
            inner.addRoundedRect(rect.adjusted(2.5, 2.5, -2.5, -2.5), 3, 3)
            painter.drawPath(inner)

        inner_rect = rect.adjusted(10, 3, -6, -3)
        if conflicts:
            inner_rect.setRight(inner_rect.right() - 14)
            self._paint_warning(painter, QRectF(rect.right() - 18, rect.top() + 4, 13, 12))
        self._paint_texts(painter, block, inner_rect, quiet, preview)
        painter.restore()

    @staticmethod
    def _paint_warning(painter: QPainter, rect: QRectF) -> None:
        path = QPainterPath()
        path.moveTo(rect.center().x(), rect.top())
        path.lineTo(rect.right(), rect.bottom())
        path.lineTo(rect.left(), rect.bottom())
        path.closeSubpath()
        painter.fillPath(path, QColor(CONFLICT_EDGE))
        painter.setPen(QPen(QColor("white"), 1.6))
        cx = rect.center().x()
        painter.drawLine(QPointF(cx, rect.top() + 4), QPointF(cx, rect.bottom() - 4))
        painter.drawPoint(QPointF(cx, rect.bottom() - 2))

    def _paint_texts(self, painter: QPainter, block: TimetableBlock, rect: QRectF, quiet: bool,
                     preview: bool) -> None:
        """Time, title (wrapped, bold) and who is on (muted), as many lines as fit.

        A tall block has the time on a line of its own; a shorter one starts the title's
        first line with it, so that the title and at least one line of names still show.
        """
        fm_small, fm_bold, fm_body = QFontMetrics(self._small), QFontMetrics(self._bold), QFontMetrics(self._body)
        width = int(rect.width())
        if width <= 8:
            return
        times = block.times()
        ink = QColor(style.MUTED if quiet else style.INK)
        time_ink = QColor(style.ACCENT if preview else style.MUTED)
        line_h = fm_bold.lineSpacing()
        lines_fit = max(1, int((rect.height() + 2) // line_h))
        subtitle_lines = 0
        if block.subtitle and lines_fit >= 2:
            subtitle_lines = 2 if lines_fit >= 5 else 1
        own_time_line = lines_fit - subtitle_lines >= 3 or (lines_fit >= 2 and not block.subtitle and lines_fit >= 3)
        y = rect.top()
        if lines_fit == 1:
            y = rect.top() + max(0.0, (rect.height() - line_h) / 2)
        indent = 0
        if own_time_line:
            painter.setFont(self._small)
            painter.setPen(time_ink)
            painter.drawText(QRectF(rect.left(), y, rect.width(), fm_small.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), times)
            y += fm_small.lineSpacing()
            title_lines = max(1, int((rect.bottom() - y - subtitle_lines * fm_body.lineSpacing()) // line_h))
        else:
            indent = fm_small.horizontalAdvance(times) + fm_small.horizontalAdvance("  ")
            title = block.title or _("Untitled")
            if width - indent < min(fm_bold.horizontalAdvance(title.split(" ")[0]), TITLE_MIN_W) and not preview:
                indent = 0  # a narrow block: the title before the time (which the tooltip gives)
            else:
                painter.setFont(self._small)
                painter.setPen(time_ink)
                painter.drawText(QRectF(rect.left(), y, rect.width(), line_h),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), times)
            title_lines = max(1, lines_fit - subtitle_lines)
        lines = wrap_lines(fm_bold, block.title or _("Untitled"), width, title_lines, first_indent=indent)
        painter.setFont(self._bold)
        painter.setPen(ink)
        for n, line in enumerate(lines):
            x = rect.left() + (indent if n == 0 else 0)
            painter.drawText(QRectF(x, y, rect.right() - x, line_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
            y += line_h
        if subtitle_lines:
            left = int((rect.bottom() - y + 2) // fm_body.lineSpacing())
            painter.setFont(self._body)
            painter.setPen(QColor(style.MUTED))
            for line in wrap_lines(fm_body, block.subtitle, width, min(left, subtitle_lines)):
                painter.drawText(QRectF(rect.left(), y, rect.width(), fm_body.height()),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
                y += fm_body.lineSpacing()

    def _preview_rect(self, block: TimetableBlock) -> QRectF:
        assert self._drag is not None
        original = self._item_rects[self._drag.item_id]
        col = self._column_of(block.room_id)
        old_col = self._column_of(self._drag.original.room_id)
        top, bottom = self._y(block.starts_at), self._y(block.ends_at)
        x = original.left() + (col - old_col) * self._column_w
        return self._to_view(QRectF(x, top + 1, original.width(), max(6.0, bottom - top - 2)))

    # -- tooltips -----------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            help_event: QHelpEvent = event  # type: ignore[assignment]
            tip = self.tooltip_at(help_event.pos())
            if tip:
                QToolTip.showText(help_event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, pos: QPoint | QPointF) -> str:
        """The tooltip at ``pos`` (viewport coordinates): an item's or a band's, else empty."""
        iid = self._item_at(pos)
        if iid is not None:
            block = self._block(iid)
            return self._tooltip(block, self._conflicts.get(iid, ()), MOVE_HINT) if block is not None else ""
        band = self._band_at(pos)
        if band is not None:
            sentences = self._session_conflicts.get(band.session_id, ()) if band.session_id is not None else ()
            return self._tooltip(band, sentences, BAND_HINT)
        return ""

    def _tooltip(self, block: TimetableBlock, conflicts: Sequence[str], hint: str) -> str:
        """The whole title, the time, the room, the people, the conflicts and what to do."""
        room = next((name for rid, name in self._rooms if rid == block.room_id), _(NO_ROOM))
        lines = [f"<b>{_html(block.title or _('Untitled'))}</b>", _html(f"{block.times()} · {room}")]
        if block.subtitle:
            lines.append(_html(block.subtitle))
        for sentence in conflicts:
            lines.append(f"<span style='color:{CONFLICT_EDGE}'>⚠ {_html(sentence)}</span>")
        lines.append(f"<i>{_html(_(hint))}</i>")
        return "<br>".join(lines)

    # -- mouse --------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        iid = self._item_at(event.position())
        if iid is None:
            event.accept()
            return
        block = self._block(iid)
        assert block is not None
        self._set_selected(iid, emit=True)
        mode = "resize" if self._on_lower_edge(iid, event.position()) else "move"
        self._drag = _Drag(iid, mode, event.position().toPoint(), block)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        drag = self._drag
        if drag is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            iid = self._item_at(pos)
            if iid is not None and self._on_lower_edge(iid, pos):
                self.viewport().setCursor(Qt.CursorShape.SizeVerCursor)
            elif iid is not None:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            return
        if not drag.started:
            if (pos.toPoint() - drag.press).manhattanLength() < QApplication.startDragDistance():
                return
            drag.started = True
            self.viewport().setCursor(Qt.CursorShape.SizeVerCursor if drag.mode == "resize"
                                      else Qt.CursorShape.ClosedHandCursor)
        dy = pos.y() - drag.press.y()
        delta = dt.timedelta(minutes=dy / self._zoom)
        b = drag.original
        day_start = dt.datetime.combine(self._day, dt.time(0))
        day_end = day_start + dt.timedelta(days=1)
        if drag.mode == "resize":
            end = max(_snap(b.ends_at + delta), b.starts_at + MIN_LENGTH)
            end = min(end, day_end)
            drag.preview = replace(b, ends_at=end)
        else:
            length = b.ends_at - b.starts_at
            start = _snap(b.starts_at + delta)
            start = min(max(start, day_start), day_end - length)
            room = b.room_id
            if len(self._rooms) > 1 and pos.x() >= GUTTER_W:
                col = int(self._to_content(pos).x() // self._column_w)
                col = min(max(col, 0), len(self._rooms) - 1)
                room = self._rooms[col][0]
            drag.preview = replace(b, starts_at=start, ends_at=start + length, room_id=room)
        self.viewport().update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag = self._drag
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        if drag is None:  # no drag, or one cancelled with Escape
            return
        self._drag = None
        self.viewport().unsetCursor()
        if drag.started and drag.preview is not None:
            self._commit(drag.original, drag.preview)
        self.viewport().update()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        self._drag = None
        iid = self._item_at(event.position())
        if iid is not None:
            self._set_selected(iid, emit=False)
            self.item_activated.emit(iid)
        else:
            band = self._band_at(event.position())
            if band is not None and band.session_id is not None:
                self.session_activated.emit(band.session_id)
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._step_zoom(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    # -- keyboard -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        alt = Qt.KeyboardModifier.AltModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        ctrl = Qt.KeyboardModifier.ControlModifier
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.viewport().unsetCursor()
            self.viewport().update()
            event.accept()
            return
        if mods & ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_0):
            if key == Qt.Key.Key_0:
                self.set_zoom(DEFAULT_ZOOM)
            else:
                self._step_zoom(-1 if key == Qt.Key.Key_Minus else 1)
            event.accept()
            return
        block = self._block(self._selected) if self._selected is not None else None
        step = dt.timedelta(minutes=SNAP)
        if block is not None and mods == alt | shift and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            end = block.ends_at + (step if key == Qt.Key.Key_Down else -step)
            if end - block.starts_at >= MIN_LENGTH:
                self._commit(block, replace(block, ends_at=end))
            event.accept()
            return
        if block is not None and mods == alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            shift_by = step if key == Qt.Key.Key_Down else -step
            start = block.starts_at + shift_by
            day_start = dt.datetime.combine(self._day, dt.time(0))
            if start >= day_start and block.ends_at + shift_by <= day_start + dt.timedelta(days=1):
                self._commit(block, replace(block, starts_at=start, ends_at=block.ends_at + shift_by))
            event.accept()
            return
        if block is not None and mods == alt and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            col = self._column_of(block.room_id) + (1 if key == Qt.Key.Key_Right else -1)
            if 0 <= col < len(self._rooms):
                self._commit(block, replace(block, room_id=self._rooms[col][0]))
            event.accept()
            return
        if mods == Qt.KeyboardModifier.NoModifier:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected is not None:
                self.item_activated.emit(self._selected)
                event.accept()
                return
            target = self._neighbour(key)
            if target is not None:
                self._set_selected(target, emit=True)
                event.accept()
                return
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right,
                       Qt.Key.Key_Home, Qt.Key.Key_End):
                event.accept()  # at the edge: stay, do not scroll away
                return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 (Qt's name)
        """Tab and Shift+Tab walk through the items in time order, then leave the view."""
        order = self._tab_order()
        if order and self.hasFocus():
            if self._selected is None or self._selected not in order:
                target: int | None = order[0] if next else order[-1]
            else:
                i = order.index(self._selected) + (1 if next else -1)
                target = order[i] if 0 <= i < len(order) else None
            if target is not None:
                self._set_selected(target, emit=True)
                return True
        return super().focusNextPrevChild(next)

    def _tab_order(self) -> list[int]:
        items = [b for b in self._blocks if b.item_id is not None]
        items.sort(key=lambda b: (b.starts_at, self._column_of(b.room_id), b.ends_at))
        return [b.item_id for b in items if b.item_id is not None]

    def _neighbour(self, key: int) -> int | None:
        """The item the arrow (or Home/End) key leads to from the selection."""
        order = self._tab_order()
        if not order:
            return None
        if key == Qt.Key.Key_Home:
            return order[0]
        if key == Qt.Key.Key_End:
            return order[-1]
        if key not in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right):
            return None
        current = self._block(self._selected) if self._selected is not None else None
        if current is None:
            return order[0]
        col = self._column_of(current.room_id)
        items = [b for b in self._blocks if b.item_id is not None and b.item_id != current.item_id]
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            same = sorted((b for b in items if self._column_of(b.room_id) == col),
                          key=lambda b: (b.starts_at, b.ends_at, b.item_id))
            key_of = (current.starts_at, current.ends_at, current.item_id)
            if key == Qt.Key.Key_Down:
                after = [b for b in same if (b.starts_at, b.ends_at, b.item_id) > key_of]  # type: ignore[operator]
                return after[0].item_id if after else None
            before = [b for b in same if (b.starts_at, b.ends_at, b.item_id) < key_of]  # type: ignore[operator]
            return before[-1].item_id if before else None
        step = 1 if key == Qt.Key.Key_Right else -1
        target_col = col + step
        while 0 <= target_col < len(self._rooms):
            there = [b for b in items if self._column_of(b.room_id) == target_col]
            if there:
                middle = current.starts_at + (current.ends_at - current.starts_at) / 2
                best = min(there, key=lambda b: abs((b.starts_at + (b.ends_at - b.starts_at) / 2 - middle)
                                                    .total_seconds()))
                return best.item_id
            target_col += step
        return None

    # -- changes ------------------------------------------------------------------------

    def _set_selected(self, item_id: int, *, emit: bool) -> None:
        changed = item_id != self._selected
        self._selected = item_id
        self.ensure_visible(item_id)
        self.viewport().update()
        if emit and changed:
            self.item_selected.emit(item_id)

    def _commit(self, before: TimetableBlock, after: TimetableBlock) -> None:
        """Show ``after`` at once and tell the page (see the module's docstring)."""
        if (before.starts_at, before.ends_at, before.room_id) == (after.starts_at, after.ends_at, after.room_id):
            return
        assert after.item_id is not None
        self.moved_from = before  # what the item was when the drag began: the edit's base (issue 15)
        self._blocks = [after if b.item_id == before.item_id else b for b in self._blocks]
        self._relayout()
        self.ensure_visible(after.item_id)
        if after.room_id != before.room_id:
            self.item_moved.emit(after.item_id, after.starts_at, after.ends_at, after.room_id)
        else:
            self.item_retimed.emit(after.item_id, after.starts_at, after.ends_at)

    def _step_zoom(self, direction: int) -> None:
        below = [z for z in ZOOMS if z < self._zoom - 1e-6]
        above = [z for z in ZOOMS if z > self._zoom + 1e-6]
        if direction > 0 and above:
            self.set_zoom(above[0])
        elif direction < 0 and below:
            self.set_zoom(below[-1])


def _sentences(conflicts: Mapping[int, Sequence[Any]] | None) -> dict[int, list[str]]:
    """Ids with the sentences of their conflicts (given as sentences or ``Conflict`` objects)."""
    return {
        key: [c if isinstance(c, str) else str(getattr(c, "message", c)) for c in found]
        for key, found in (conflicts or {}).items() if found
    }


def _html(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["NO_ROOM", "TimetableBlock", "TimetableView", "blocks_for_day", "pack_lanes", "wrap_lines"]
