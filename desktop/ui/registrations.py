"""The Registrations section: everyone registered for the event, and who is in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from db.engine import Database
from db.models import Status
from desktop.core.events import EventDetail
from desktop.core.registrations import RegistrationRow, registration_rows
from desktop.ui import labels, style
from desktop.ui.table import Column, RowTableModel, configure_table

INACTIVE = (Status.DECLINED, Status.CANCELLED)


def event_zone(name: str) -> dt.tzinfo:
    """The event's time zone; UTC when this computer does not know the name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_time(at: dt.datetime | None, zone: dt.tzinfo) -> str:
    """"09:41" in the event's time zone, or "" when not checked in."""
    return at.astimezone(zone).strftime("%H:%M") if at is not None else ""


class RegistrationsModel(RowTableModel):
    """``RegistrationRow``s: code, name, organisation, sector, category, status, checked in.

    Check-in times are shown as the wall-clock time of the event's time zone.
    """

    CODE, NAME, ORGANISATION, SECTOR, CATEGORY, STATUS, CHECKED_IN = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        self._zone: dt.tzinfo = dt.UTC
        self._zone_name = "UTC"
        super().__init__(
            (
                Column("Code", lambda r: r.code, width=9),
                Column("Name", lambda r: r.name, sort_key=_surname_key, width=26, tooltip=lambda r: r.name),
                Column("Organisation", lambda r: r.organisation, width=0,
                       tooltip=lambda r: r.organisation or None),
                Column("Sector", lambda r: labels.SECTOR[r.sector] if r.sector else "", width=25),
                Column("Category", lambda r: labels.CATEGORY[r.category], width=12),
                Column("Status", lambda r: labels.STATUS[r.status], width=11,
                       sort_key=lambda r: list(Status).index(r.status), foreground=_status_colour),
                Column("Checked in", lambda r: local_time(r.checked_in_at, self._zone), width=10,
                       align=Qt.AlignmentFlag.AlignHCenter, sort_key=lambda r: r.checked_in_at,
                       tooltip=self._checked_in_tip, foreground=lambda r: QColor(style.SUCCESS),
                       bold=lambda r: r.checked_in_at is not None),
            ),
            parent,
        )

    def set_time_zone(self, name: str) -> None:
        """Show check-in times in the zone ``name`` (call before ``set_rows``)."""
        self._zone_name = name
        self._zone = event_zone(name)

    def _checked_in_tip(self, row: RegistrationRow) -> str | None:
        if row.checked_in_at is None:
            return None
        local = row.checked_in_at.astimezone(self._zone)
        desk = f" at {row.desk}" if row.desk else ""
        return f"Checked in{desk} on {local:%A %d %B %Y, %H:%M} ({self._zone_name})"


def _surname_key(row: RegistrationRow) -> str:
    # The core's order is by surname already; sorting by name sorts by what is shown.
    return row.name.casefold()


def _status_colour(row: RegistrationRow) -> QColor | None:
    return QColor(style.MUTED) if row.status in INACTIVE else None


class RegistrationsPage(QWidget):
    """The event's registrations in a plain table, with a count of those checked in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Registrations")
        title.setObjectName("pageTitle")
        title.setFont(style.scaled_font(self.font(), 1.5, bold=True))
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.model = RegistrationsModel(self)
        self.view = QTableView()
        self.view.setObjectName("registrationsTable")
        configure_table(self.view, self.model)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)

    def show_event(self, database: Database, detail: EventDetail, lang: str) -> None:
        with database.read() as session:
            rows = registration_rows(session, detail.summary.id, lang)
        self.model.set_time_zone(detail.timezone)
        self.model.set_rows(rows)
        checked = sum(1 for r in rows if r.checked_in_at is not None)
        noun = "registration" if len(rows) == 1 else "registrations"
        self.count_label.setText(f"{len(rows)} {noun} · {checked} checked in")
