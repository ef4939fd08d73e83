"""The timetable: blocks from the agenda, drags that retime an item (snapped to 5 minutes),
the keyboard, and what it shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Event, ItemKind, Room
from desktop.core.agenda import load_agenda
from desktop.core.i18n import text
from desktop.ui.agenda.timetable import NO_ROOM, TimetableBlock, TimetableView, blocks_for_day, pack_lanes

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

DAY = dt.date(2025, 2, 28)
ROOMS: list[tuple[int | None, str]] = [(1, "Main hall"), (2, "Foyer")]


def at(hhmm: str) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time.fromisoformat(hhmm))


BLOCKS = [
    TimetableBlock(None, 50, 1, at("10:00"), at("11:15"), "Session 1. Court administration",
                   "Aslambek Mergaliyev", "#2f6fad", None),
    TimetableBlock(1, None, 2, at("09:00"), at("09:30"), "Registration of participants", "", None,
                   ItemKind.REGISTRATION),
    TimetableBlock(2, None, 1, at("09:30"), at("10:00"), "Opening of the round table",
                   "Yerzhan Zhienbayev, Pamela Harris", None, ItemKind.OPENING),
    TimetableBlock(3, 50, 1, at("10:00"), at("10:20"), "Sociological surveys as the empirical basis",
                   "Yuri Fenopetov", "#2f6fad", ItemKind.PRESENTATION),
    TimetableBlock(4, 50, 1, at("10:20"), at("11:15"), "Discussion", "", "#2f6fad", ItemKind.DISCUSSION),
    TimetableBlock(5, None, 2, at("11:15"), at("11:30"), "Coffee break", "", None, ItemKind.BREAK),
]


@pytest.fixture
def view(qtbot: QtBot, styled_app: QApplication) -> TimetableView:
    widget = TimetableView()
    qtbot.addWidget(widget)
    widget.resize(700, 900)
    widget.set_day(DAY, ROOMS, BLOCKS, {4: ["Main hall is double-booked at 10:45–11:00 on 28 Feb."]})
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def drag(qtbot: QtBot, view: TimetableView, start: QPoint, end: QPoint) -> None:
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    # Through a point on the way, as a hand would: the first move passes the drag distance.
    qtbot.mouseMove(vp, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    qtbot.mouseMove(vp, end)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


def block(view: TimetableView, item_id: int) -> TimetableBlock:
    return next(b for b in view.blocks() if b.item_id == item_id)


def test_drag_moves_an_item_snapped_to_five_minutes(view: TimetableView, qtbot: QtBot) -> None:
    rect = view.block_rect(2)
    assert not rect.isEmpty()
    start = rect.center()
    # 23 pixels at 2 pixels a minute is 11.5 minutes: snapped to 10.
    with qtbot.waitSignal(view.item_retimed, timeout=1000) as blocker, \
            qtbot.assertNotEmitted(view.item_moved):
        drag(qtbot, view, start, start + QPoint(0, 23))
    assert blocker.args == [2, at("09:40"), at("10:10")]
    assert (block(view, 2).starts_at, block(view, 2).ends_at) == (at("09:40"), at("10:10"))


def test_drag_up_snaps_too(view: TimetableView, qtbot: QtBot) -> None:
    start = view.block_rect(3).center()
    with qtbot.waitSignal(view.item_retimed, timeout=1000) as blocker:
        drag(qtbot, view, start, start + QPoint(0, -13))  # -6.5 minutes → -5
    assert blocker.args == [3, at("09:55"), at("10:15")]
    assert blocker.args[1].minute % 5 == 0 and blocker.args[1].second == 0


def test_lower_edge_drag_changes_only_the_end(view: TimetableView, qtbot: QtBot) -> None:
    rect = view.block_rect(2)
    edge = QPoint(rect.center().x(), rect.bottom() - 2)
    qtbot.mouseMove(view.viewport(), edge)
    assert view.viewport().cursor().shape() == Qt.CursorShape.SizeVerCursor
    with qtbot.waitSignal(view.item_retimed, timeout=1000) as blocker:
        drag(qtbot, view, edge, edge + QPoint(0, 31))  # 15.5 minutes → 15
    assert blocker.args == [2, at("09:30"), at("10:15")]


def test_lower_edge_cannot_make_an_item_shorter_than_five_minutes(view: TimetableView, qtbot: QtBot) -> None:
    rect = view.block_rect(5)  # 15 minutes
    edge = QPoint(rect.center().x(), rect.bottom() - 1)
    with qtbot.waitSignal(view.item_retimed, timeout=1000) as blocker:
        drag(qtbot, view, edge, edge + QPoint(0, -200))
    assert blocker.args == [5, at("11:15"), at("11:20")]


def test_drag_into_another_room(view: TimetableView, qtbot: QtBot) -> None:
    start = view.block_rect(2).center()
    target = view.block_rect(1).center() + QPoint(0, 60)  # the Foyer column, 30 minutes later
    with qtbot.waitSignal(view.item_moved, timeout=1000) as blocker, \
            qtbot.assertNotEmitted(view.item_retimed):
        drag(qtbot, view, start, QPoint(target.x(), start.y() + 60))
    assert blocker.args == [2, at("10:00"), at("10:30"), 2]


def test_escape_cancels_a_drag(view: TimetableView, qtbot: QtBot) -> None:
    vp = view.viewport()
    start = view.block_rect(2).center()
    with qtbot.assertNotEmitted(view.item_retimed), qtbot.assertNotEmitted(view.item_moved):
        qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(vp, start + QPoint(0, 20))
        qtbot.mouseMove(vp, start + QPoint(0, 40))
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=start + QPoint(0, 40))
    assert block(view, 2).starts_at == at("09:30")


def test_a_click_selects_without_retiming(view: TimetableView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(view.item_selected, timeout=1000) as blocker, \
            qtbot.assertNotEmitted(view.item_retimed):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.block_rect(3).center())
    assert blocker.args == [3]
    assert view.selected_item() == 3


def test_double_click_and_enter_activate(view: TimetableView, qtbot: QtBot) -> None:
    centre = view.block_rect(4).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(view.item_activated, timeout=1000) as blocker:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert blocker.args == [4]
    with qtbot.waitSignal(view.item_activated, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [4]


def test_alt_down_moves_by_five_minutes(view: TimetableView, qtbot: QtBot) -> None:
    view.setFocus()
    view.select_item(3)
    with qtbot.waitSignal(view.item_retimed, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert blocker.args == [3, at("10:05"), at("10:25")]
    with qtbot.waitSignal(view.item_retimed, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert blocker.args == [3, at("10:00"), at("10:20")]


def test_alt_shift_changes_the_length(view: TimetableView, qtbot: QtBot) -> None:
    view.setFocus()
    view.select_item(3)
    alt_shift = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitSignal(view.item_retimed, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Down, alt_shift)
    assert blocker.args == [3, at("10:00"), at("10:25")]
    with qtbot.waitSignal(view.item_retimed, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Up, alt_shift)
    assert blocker.args == [3, at("10:00"), at("10:20")]


def test_alt_right_moves_to_the_next_room(view: TimetableView, qtbot: QtBot) -> None:
    view.setFocus()
    view.select_item(2)
    with qtbot.waitSignal(view.item_moved, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert blocker.args == [2, at("09:30"), at("10:00"), 2]


def test_arrows_and_tab_move_the_selection(view: TimetableView, qtbot: QtBot) -> None:
    view.setFocus()
    seen: list[int] = []
    view.item_selected.connect(seen.append)
    qtbot.keyClick(view, Qt.Key.Key_Down)  # nothing selected: the first item
    qtbot.keyClick(view, Qt.Key.Key_Down)  # 09:00 Foyer → 11:15 Foyer
    qtbot.keyClick(view, Qt.Key.Key_Left)  # → Main hall, nearest in time: the discussion
    qtbot.keyClick(view, Qt.Key.Key_Up)    # → 10:00 presentation
    assert seen == [1, 5, 4, 3]
    qtbot.keyClick(view, Qt.Key.Key_Tab)   # time order: 1, 2, 3, 4, 5
    assert view.selected_item() == 4 and view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.selected_item() == 3


def test_conflicts_are_marked_with_their_sentence(view: TimetableView) -> None:
    tip = view.tooltip_at(view.block_rect(4).center())
    assert "Main hall is double-booked at 10:45–11:00 on 28 Feb." in tip
    assert "double-booked" not in view.tooltip_at(view.block_rect(3).center())


def test_blocks_do_not_overlap_and_fit_their_columns(view: TimetableView, tmp_path: Path) -> None:
    rects = {b.item_id: view.block_rect(b.item_id) for b in BLOCKS if b.item_id is not None}
    for a in rects:
        for b in rects:
            if a < b:
                assert not rects[a].intersects(rects[b]), (a, b)
    # Two items at the same time in one room sit side by side.
    view.set_day(DAY, ROOMS, [*BLOCKS, TimetableBlock(9, None, 1, at("10:05"), at("10:35"), "Clash")])
    assert not view.block_rect(9).intersects(view.block_rect(3))
    assert not view.block_rect(9).intersects(view.block_rect(4))
    assert view.grab().save(str(tmp_path / "timetable.png"))


def test_pack_lanes_is_a_calendar_day_view() -> None:
    spans = [(at("09:00"), at("10:00")), (at("09:30"), at("10:30")), (at("10:00"), at("11:00")),
             (at("11:00"), at("11:30"))]
    # The third takes the first lane again (the first has ended); the fourth only touches.
    assert pack_lanes(spans) == [(0, 2), (1, 2), (0, 2), (0, 1)]
    assert pack_lanes([]) == []


def test_overlapping_sessions_in_one_room_sit_side_by_side(view: TimetableView) -> None:
    """Two sessions in the Main hall at once: two bands, each with its items inside it."""
    other = [
        TimetableBlock(None, 60, 1, at("10:30"), at("11:30"), "Session 2. Judicial ethics", "Nail Akhmetzakirov",
                       "#2f9e44", None),
        TimetableBlock(11, 60, 1, at("10:30"), at("11:00"), "Codes of conduct", "", "#2f9e44", ItemKind.PANEL),
        TimetableBlock(12, 60, 1, at("11:00"), at("11:30"), "Questions", "", "#2f9e44", ItemKind.QA),
    ]
    view.set_day(DAY, ROOMS, [*BLOCKS, *other])
    first, second = view.band_rect(50), view.band_rect(60)
    assert not first.isEmpty() and not second.isEmpty()
    assert not first.intersects(second)
    for band, items in ((first, (3, 4)), (second, (11, 12))):
        for item_id in items:
            rect = view.block_rect(item_id)
            assert band.left() <= rect.left() and rect.right() <= band.right(), item_id
    rects = [view.block_rect(i) for i in (2, 3, 4, 11, 12)]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b)
    # The opening (09:30–10:00) only touches the first session: it keeps the whole column.
    assert view.block_rect(2).width() > first.width()


def test_a_column_widens_rather_than_squeeze_blocks(view: TimetableView) -> None:
    clash = [TimetableBlock(20 + n, None, 2, at("09:00"), at("09:30"), f"Clash {n}") for n in range(5)]
    view.set_day(DAY, ROOMS, [*BLOCKS, *clash])
    assert all(view.block_rect(b.item_id).width() >= 80 for b in clash if b.item_id is not None)
    assert view.horizontalScrollBar().maximum() > 0


def test_conflicting_sessions_are_marked_with_their_sentence(view: TimetableView, qtbot: QtBot) -> None:
    sentence = "Session “Session 1. Court administration” has no moderator."
    band = view.band_rect(50)
    spine = QPoint(band.left() + 9, band.bottom() - 30)
    assert sentence not in view.tooltip_at(spine)

    def red_edge() -> bool:  # the band's right edge, below its items' lane
        image = view.grab().toImage()
        y = band.top() + 4
        return any(c.red() > 150 and c.green() < 90 for c in
                   (image.pixelColor(x, y) for x in range(band.right() - 2, band.right() + 3)))

    assert not red_edge()
    view.set_day(DAY, ROOMS, BLOCKS, {}, {50: [sentence]})
    assert sentence in view.tooltip_at(spine)
    assert red_edge()


@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")  # the tooltip, offscreen
def test_every_block_shows_its_whole_title_time_room_and_people(view: TimetableView, qtbot: QtBot) -> None:
    long_title = "Sociological surveys as the empirical basis of judicial reform in the regions and in the capital"
    blocks = [replace(b, title=long_title) if b.item_id == 3 else b for b in BLOCKS]
    view.resize(420, 900)
    view.set_day(DAY, ROOMS, blocks)
    rect = view.block_rect(3)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, rect.center(),
                                                       view.viewport().mapToGlobal(rect.center())))
    tip = QToolTip.text()
    QToolTip.hideText()
    assert long_title in tip and "10:00–10:20" in tip and "Main hall" in tip and "Yuri Fenopetov" in tip
    band = view.band_rect(50)
    band_tip = view.tooltip_at(QPoint(band.left() + 9, band.center().y()))
    assert "Session 1. Court administration" in band_tip and "Main hall" in band_tip
    assert "Aslambek Mergaliyev" in band_tip
    assert "Foyer" in view.tooltip_at(view.block_rect(1).center())


def test_room_less_items_get_their_column(view: TimetableView) -> None:
    view.set_day(DAY, ROOMS, [*BLOCKS, TimetableBlock(9, None, None, at("12:00"), at("12:30"), "Press")])
    header = [name for _, name in view._rooms]
    assert header == ["Main hall", "Foyer", NO_ROOM]
    assert view.block_rect(9).left() > view.block_rect(5).right()


def test_selection_survives_a_reload(view: TimetableView) -> None:
    view.select_item(3)
    view.set_day(DAY, ROOMS, BLOCKS)
    assert view.selected_item() == 3
    view.set_day(DAY, ROOMS, BLOCKS[:2])
    assert view.selected_item() is None


def test_blocks_for_the_demo_day(demo_db: Database, qtbot: QtBot, styled_app: QApplication,
                                 tmp_path: Path) -> None:
    with demo_db.read() as s:
        event_id = s.scalars(select(Event.id)).one()
        rooms = [(r.id, text(r.name, "ru")) for r in
                 s.scalars(select(Room).where(Room.event_id == event_id).order_by(Room.position))]
        agenda = load_agenda(s, event_id, "ru")
    day = min(agenda)
    blocks = blocks_for_day(agenda, day, "ru", rooms)
    bands = [b for b in blocks if b.is_session]
    items = [b for b in blocks if not b.is_session]
    assert len(bands) == 3 and len(items) == 15
    assert all(b.room_id is not None for b in blocks)
    hall = rooms[0][0]
    for band in bands:
        assert band.room_id == hall and band.colour and band.subtitle  # the moderator
        inside = [b for b in items if b.session_id == band.session_id]
        assert inside and all(b.colour == band.colour and b.room_id == hall for b in inside)
        assert all(band.starts_at <= b.starts_at and b.ends_at <= band.ends_at for b in inside)
    opening = next(b for b in items if b.kind is ItemKind.OPENING)
    assert opening.title == "Открытие круглого стола"
    assert opening.subtitle == "Ержан Жиенбаев, Памела Харрис"
    assert [b.starts_at for b in items] == sorted(b.starts_at for b in items)
    assert blocks_for_day(agenda[day], day, "ru", rooms) == blocks

    view = TimetableView()
    qtbot.addWidget(view)
    view.resize(900, 1100)
    view.set_day(day, rooms, blocks)
    view.show()
    for b in items:
        assert b.item_id is not None and not view.block_rect(b.item_id).isEmpty()
    assert view.grab().save(str(tmp_path / "demo-timetable.png"))
