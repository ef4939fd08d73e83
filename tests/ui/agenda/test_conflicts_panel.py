"""The conflicts panel: its model, its header, and activation of a row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.core.conflicts import Conflict, Rule
from desktop.ui.agenda.conflicts_panel import CONFLICT_ROLE, ConflictListModel, ConflictsPanel

# The offscreen platform says so when a top-level widget is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

AT = dt.datetime(2025, 2, 28, 11, 15)
CONFLICTS = [
    Conflict(Rule.PERSON_DOUBLE_BOOKED, (7, 9), (), (3,),
             "Aliya Seitkali is in two places at 11:15–11:30 on 28 Feb: “Judicial independence” "
             "(Hall A) and “Q&A” (Hall B).", AT),
    Conflict(Rule.SESSION_WITHOUT_MODERATOR, (), (4,), (),
             "Session “Courts” at 14:00–15:15 on 28 Feb has no moderator.", AT),
    Conflict(Rule.ROOM_DOUBLE_BOOKED, (12,), (5,), (),
             "Main hall is double-booked at 15:00–15:15 on 28 Feb: session “Courts” and “Closing”.", AT),
]


@pytest.fixture
def panel(qtbot: QtBot, styled_app: QApplication) -> ConflictsPanel:
    widget = ConflictsPanel()
    qtbot.addWidget(widget)
    widget.resize(420, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_model(qtmodeltester: ModelTester, qapp: QApplication) -> None:
    model = ConflictListModel()
    qtmodeltester.check(model)
    model.set_conflicts(CONFLICTS)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    index = model.index(0, 0)
    assert model.data(index) == CONFLICTS[0].message
    assert model.data(index, CONFLICT_ROLE) is CONFLICTS[0]
    assert not model.data(index, Qt.ItemDataRole.DecorationRole).isNull()
    assert model.data(index, Qt.ItemDataRole.ToolTipRole).startswith("Person in two places: Aliya")
    model.set_conflicts([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_header_counts(panel: ConflictsPanel) -> None:
    assert panel.header.text() == "No conflicts"
    panel.show_conflicts(CONFLICTS)
    assert panel.header.text() == "3 conflicts"
    assert panel.view.model().rowCount() == 3
    panel.show_conflicts(CONFLICTS[:1])
    assert panel.header.text() == "1 conflict"
    assert panel.conflicts() == CONFLICTS[:1]


def test_enter_activates_the_first_item(panel: ConflictsPanel, qtbot: QtBot) -> None:
    panel.show_conflicts(CONFLICTS)
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(0, 0))
    with qtbot.waitSignal(panel.item_activated, timeout=1000) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert blocker.args == [7]


def test_double_click_activates(panel: ConflictsPanel, qtbot: QtBot) -> None:
    panel.show_conflicts(CONFLICTS)
    QApplication.processEvents()
    rect = panel.view.visualRect(panel.model.index(2, 0))
    # A real double-click is a press, a release, then the double-click event.
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(panel.item_activated, timeout=1000) as blocker:
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [12]


def test_a_session_conflict_activates_the_session(panel: ConflictsPanel, qtbot: QtBot) -> None:
    panel.show_conflicts(CONFLICTS)
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(1, 0))
    with qtbot.assertNotEmitted(panel.item_activated), \
            qtbot.waitSignal(panel.session_activated, timeout=1000) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_Enter)
    assert blocker.args == [4]


def test_look(panel: ConflictsPanel, tmp_path: Path) -> None:
    """Sentences wrap within the panel's width: no row is wider than the view."""
    panel.show_conflicts(CONFLICTS)
    QApplication.processEvents()
    for row in range(3):
        rect = panel.view.visualRect(panel.model.index(row, 0))
        assert rect.height() > panel.view.fontMetrics().height() * 1.5  # wrapped to lines
        assert rect.right() <= panel.view.viewport().width()
    assert panel.grab().save(str(tmp_path / "panel.png"))
