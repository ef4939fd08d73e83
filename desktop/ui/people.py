"""The People section: the roster, with each person's part in the chosen event."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.events import EventDetail
from desktop.core.people import PersonRow, roster
from desktop.ui import labels, style
from desktop.ui.table import Column, RowTableModel, configure_table


def _role(row: PersonRow) -> str:
    return labels.role_list(row.roles)


COLUMNS = (
    Column("Name", lambda r: r.name, sort_key=lambda r: r.sort_key, width=22, tooltip=lambda r: r.name),
    Column("Position", lambda r: r.position, width=20, tooltip=lambda r: r.position or None),
    Column("Organisation", lambda r: r.organisation, width=0, tooltip=lambda r: r.organisation or None),
    Column("Sector", lambda r: labels.SECTOR[r.sector] if r.sector else "", width=22,
           tooltip=lambda r: labels.SECTOR[r.sector] if r.sector else None),
    Column("Country", lambda r: r.country, width=7, align=Qt.AlignmentFlag.AlignHCenter),
    Column("Role in this event", _role, width=20, bold=lambda r: bool(r.roles),
           tooltip=lambda r: _role(r) or None),
)


class PeopleModel(RowTableModel):
    """The roster as ``PersonRow``s (name, position, organisation, sector, country, role)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)


class PeoplePage(QWidget):
    """The roster of people; a check box narrows it to those on stage in the event."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database: Database | None = None
        self._detail: EventDetail | None = None
        self._lang = "en"

        title = QLabel("People")
        title.setObjectName("pageTitle")
        title.setFont(style.scaled_font(self.font(), 1.5, bold=True))
        self.on_stage_box = QCheckBox("Only speakers && moderators")
        self.on_stage_box.setToolTip("Show only the people with a part in this event's programme.")
        self.on_stage_box.toggled.connect(self._on_on_stage_box_toggled)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.model = PeopleModel(self)
        self.view = QTableView()
        self.view.setObjectName("peopleTable")
        configure_table(self.view, self.model)

        bar = QHBoxLayout()
        bar.setSpacing(16)
        bar.addWidget(self.on_stage_box)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def show_event(self, database: Database, detail: EventDetail, lang: str) -> None:
        self._database, self._detail, self._lang = database, detail, lang
        self._reload()

    def _reload(self) -> None:
        if self._database is None or self._detail is None:
            return
        on_stage_only = self.on_stage_box.isChecked()
        with self._database.read() as session:
            rows = roster(session, self._detail.summary.id, self._lang, on_stage_only=on_stage_only)
        self.model.set_rows(rows)
        noun = "person" if len(rows) == 1 else "people"
        self.count_label.setText(
            f"{len(rows)} {noun} on stage in this event" if on_stage_only else f"{len(rows)} {noun} in the roster"
        )

    def _on_on_stage_box_toggled(self, _checked: bool) -> None:
        self._reload()
