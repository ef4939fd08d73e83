"""The event bar: its chooser keeps the dates whole when the title must be shortened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.events import EventSummary
from desktop.ui.shell.event_bar import EventBar

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

LONG = ("Improving the Effectiveness of the Justice System in Kazakhstan: Achievements and Initiatives "
        "of the Supreme Court, the Court Administration and the Academy of Justice")


def summary(event_id: int, title: str, starts_on: dt.date, ends_on: dt.date) -> EventSummary:
    return EventSummary(event_id, {"en": title}, starts_on, ends_on, {}, {}, False, 0)


@pytest.fixture
def bar(qtbot: QtBot, styled_app: QApplication) -> EventBar:
    widget = EventBar()
    qtbot.addWidget(widget)
    widget.set_events([summary(1, LONG, dt.date(2025, 2, 27), dt.date(2025, 2, 28)),
                       summary(2, "Round table", dt.date(2025, 3, 14), dt.date(2025, 3, 14))], 1)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("width", [520, 760, 1000])
def test_a_narrow_chooser_shortens_the_title_not_the_dates(bar: EventBar, width: int, tmp_path: Path) -> None:
    bar.resize(width, bar.sizeHint().height())
    QApplication.processEvents()
    chooser = bar.chooser
    dates = bar.current_event().dates()  # type: ignore[union-attr]
    shown = chooser.displayed_text()
    assert shown.endswith(f"—  {dates}")
    assert "…" in shown and shown.startswith("Improving the")
    assert chooser.fontMetrics().horizontalAdvance(shown) < chooser.width()
    assert chooser.toolTip() == chooser.currentText() and LONG in chooser.toolTip()
    assert bar.grab().save(str(tmp_path / f"bar-{width}.png"))


def test_a_short_caption_shows_whole(bar: EventBar) -> None:
    bar.resize(900, bar.sizeHint().height())
    bar.chooser.setCurrentIndex(1)
    assert bar.chooser.displayed_text() == bar.chooser.currentText() == "Round table  —  14 March 2025"
