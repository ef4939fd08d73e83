"""The Desk section (read-only for now): who is in, by sector, and the latest arrivals."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import Sector, Status
from desktop.core.events import EventDetail
from desktop.core.registrations import Participation, participation, recent_check_ins
from desktop.ui import labels, style
from desktop.ui.registrations import event_zone, local_time
from desktop.ui.table import Column, RowTableModel, configure_table

RECENT_LIMIT = 50


class SectorBars(QWidget):
    """Horizontal bars, one per sector: the expected people as the track, those checked
    in as the filled part, and "in / expected" at the right."""

    ROW_GAP = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_figures(self, by_sector: dict[Sector | None, tuple[int, int]]) -> None:
        """``{sector: (expected, checked in)}``, shown largest first."""
        ordered = sorted(by_sector.items(), key=lambda kv: (-kv[1][0], labels.SECTOR[kv[0]]))
        self._rows = [(labels.SECTOR[sector], expected, checked) for sector, (expected, checked) in ordered]
        self.setAccessibleDescription(
            "; ".join(f"{name}: {checked} of {expected} checked in" for name, expected, checked in self._rows)
        )
        self.updateGeometry()
        self.update()

    def figures(self) -> list[tuple[str, int, int]]:
        """(sector, expected, checked in) as drawn, top to bottom."""
        return list(self._rows)

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 12

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._rows))
        return QSize(420, rows * self._row_height() + (rows - 1) * self.ROW_GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        row_h = self._row_height()
        label_w = max((metrics.horizontalAdvance(name) for name, _, _ in self._rows), default=0) + 16
        figure_w = metrics.horizontalAdvance("0000 / 0000") + 12
        bar_x = label_w
        bar_w = max(40, self.width() - label_w - figure_w)
        most = max((expected for _, expected, _ in self._rows), default=0) or 1
        bar_h = row_h - 10
        for i, (name, expected, checked) in enumerate(self._rows):
            top = i * (row_h + self.ROW_GAP)
            painter.setPen(QColor(style.INK))
            painter.drawText(QRectF(0, top, label_w - 8, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            track = QRectF(bar_x, top + (row_h - bar_h) / 2, bar_w * expected / most, bar_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(style.ACCENT_SOFT))
            painter.drawRoundedRect(track, 4, 4)
            if checked:
                filled = QRectF(track.x(), track.y(), bar_w * checked / most, bar_h)
                painter.setBrush(QColor(style.ACCENT))
                painter.drawRoundedRect(filled, 4, 4)
            painter.setPen(QColor(style.MUTED))
            painter.drawText(QRectF(bar_x + bar_w, top, figure_w, row_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{checked} / {expected}")
        painter.end()


class RecentCheckInsModel(RowTableModel):
    """The latest check-ins, newest first: local time, name, organisation, desk."""

    def __init__(self, parent: QObject | None = None) -> None:
        self._zone: dt.tzinfo = dt.UTC
        super().__init__(
            (
                Column("Time", lambda r: local_time(r.checked_in_at, self._zone), width=7,
                       sort_key=lambda r: r.checked_in_at, align=Qt.AlignmentFlag.AlignHCenter),
                Column("Name", lambda r: r.name, width=24, tooltip=lambda r: r.name),
                Column("Organisation", lambda r: r.organisation, width=0, tooltip=lambda r: r.organisation or None),
                Column("Desk", lambda r: r.desk or "", width=10),
            ),
            parent,
        )

    def set_time_zone(self, name: str) -> None:
        self._zone = event_zone(name)


class _FigureCard(QFrame):
    """A big number with a caption under it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.figure = QLabel("–")
        self.figure.setObjectName("bigFigure")
        self.figure.setFont(style.scaled_font(self.font(), 2.6, bold=True))
        self.caption = QLabel(caption)
        self.caption.setObjectName("bigFigureCaption")
        self.detail = QLabel()
        self.detail.setObjectName("bigFigureCaption")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 14)
        layout.setSpacing(2)
        layout.addWidget(self.figure)
        layout.addWidget(self.caption)
        layout.addWidget(self.detail)


class DeskPage(QWidget):
    """Figures for the registration desk: checked in of expected, by sector, latest arrivals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Desk")
        title.setObjectName("pageTitle")
        title.setFont(style.scaled_font(self.font(), 1.5, bold=True))

        self.in_card = _FigureCard("checked in / expected")
        self.registered_card = _FigureCard("registrations")
        cards = QHBoxLayout()
        cards.setSpacing(16)
        cards.addWidget(self.in_card, 1)
        cards.addWidget(self.registered_card, 1)

        self.sector_bars = SectorBars()
        sector_caption = QLabel("BY SECTOR · CHECKED IN OF EXPECTED")
        sector_caption.setObjectName("sectionCaption")
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(sector_caption)
        left.addWidget(self.sector_bars)
        left.addStretch(1)

        self.recent_model = RecentCheckInsModel(self)
        self.recent_view = QTableView()
        self.recent_view.setObjectName("recentCheckIns")
        configure_table(self.recent_view, self.recent_model)
        self.recent_caption = QLabel("LATEST CHECK-INS")
        self.recent_caption.setObjectName("sectionCaption")
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self.recent_caption)
        right.addWidget(self.recent_view, 1)

        columns = QHBoxLayout()
        columns.setSpacing(28)
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(14)
        layout.addWidget(title)
        layout.addLayout(cards)
        layout.addSpacing(6)
        layout.addLayout(columns, 1)

    def show_event(self, database: Database, detail: EventDetail, lang: str) -> None:
        with database.read() as session:
            figures = participation(session, detail.summary.id)
            recent = recent_check_ins(session, detail.summary.id, RECENT_LIMIT, lang)
        self._show_figures(figures)
        self.recent_model.set_time_zone(detail.timezone)
        self.recent_model.set_rows(recent)
        shown = len(recent)
        self.recent_caption.setText(
            f"LATEST CHECK-INS · {shown} SHOWN" if shown == RECENT_LIMIT else "LATEST CHECK-INS"
        )

    def _show_figures(self, figures: Participation) -> None:
        self.in_card.figure.setText(f"{figures.checked_in} / {figures.expected}")
        share = round(100 * figures.checked_in / figures.expected) if figures.expected else 0
        self.in_card.detail.setText(
            f"{share} % of those registered or confirmed are in" if figures.expected
            else "no one is registered or confirmed yet"
        )
        self.registered_card.figure.setText(str(figures.registered))
        self.registered_card.detail.setText(_by_status(figures.by_status))
        self.sector_bars.set_figures(figures.by_sector)


def _by_status(by_status: dict[Status, int]) -> str:
    parts = [f"{by_status[s]} {labels.STATUS[s].lower()}" for s in Status if by_status.get(s)]
    return " · ".join(parts)
