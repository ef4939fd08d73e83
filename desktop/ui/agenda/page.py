"""The Agenda section: the event's header above the agenda editor.

A day at a time (tabs for the event's days; Days ▸ adds or removes one), in two views: the
Outline (sessions with their items, as a tree) and the Timetable (time down, rooms across,
``desktop.ui.agenda.timetable``). Every edit is an undo command on the window's
stack (``desktop.ui.agenda.commands``) that calls ``desktop.core.agenda_edit`` and is saved
as it is made; after each edit, undo or redo the views are read again and the edited entry
is selected. Conflicts (``desktop.core.conflicts``) mark their entries in both views and fill
the conflicts panel beside them (``desktop.ui.agenda.conflicts_panel``); activating one selects it.
Without conflicts the panel is a single line ("✓ No conflicts") beside the toolbar, and the
views take its width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from db.models import ItemKind, PartnerRole
from desktop.core import formats, vocabulary
from desktop.core.agenda import AgendaEntry, load_agenda
from desktop.core.conflicts import Conflict, conflicts_by_item, find_conflicts
from desktop.core.events import EventDetail, event_detail
from desktop.core.i18n import Localised, pick, text
from desktop.core.language import _, n_, p_
from desktop.ui.agenda.conflicts_panel import ConflictsPanel
from desktop.ui.agenda.model import (
    PAUSES,
    AgendaModel,
    AgendaTree,
    EntryKey,
    WrappingDelegate,
    entry_key,
    on_stage,
)
from desktop.ui.shell import style
from desktop.ui.shell.shortcuts import ShortcutClaim

if TYPE_CHECKING:
    # These load when first used: start-up shows the outline only. The timetable is made
    # when first shown (``AgendaPage.timetable``); the dialogs when one is first opened; the
    # edits (``agenda_commands``, ``desktop.core.agenda_edit``) when the first one is made.
    from desktop.ui.agenda.dialogs import Choice, ItemDialog, SessionDialog, ShiftDialog
    from desktop.ui.agenda.timetable import TimetableView
    from desktop.ui.shell.commands import Changed, Edit, Edits


def _entry_key(selected: object) -> EntryKey | None:
    """The outline's key of what an edit says to select: a ``RowRef`` of a session or an
    agenda item, or a key the page gave itself."""
    from desktop.core.changes import RowRef

    if isinstance(selected, RowRef):
        kind = {"session": "session", "agenda_item": "item"}.get(selected.table)
        return (kind, selected.id) if kind is not None else None  # type: ignore[return-value]
    if isinstance(selected, tuple) and len(selected) == 2 and selected[0] in ("session", "item"):
        return selected  # type: ignore[return-value]
    return None


__all__ = ["AgendaPage", "AgendaModel", "AgendaTree", "WrappingDelegate", "on_stage", "PAUSES"]

OUTLINE, TIMETABLE = range(2)
DEFAULT_SESSION_MINUTES = 60
DEFAULT_ITEM_MINUTES = 30

# Settings keys.
SPLITTER = "agenda/splitter"
COLUMNS = "agenda/columns"
VIEW = "agenda/view"

VIEW_SWITCH_STYLE = f"""
QToolButton#viewButton {{
    border: 1px solid {style.LINE}; background: {style.SURFACE}; color: {style.INK}; padding: 4px 14px;
}}
QToolButton#viewButton:checked {{ background: {style.ACCENT}; color: white; border-color: {style.ACCENT}; }}
QToolBar#agendaTools {{ border: none; spacing: 2px; }}
QToolButton#daysButton {{ padding: 3px 20px 3px 8px; }}
QToolButton#daysButton::menu-indicator {{ subcontrol-position: right center; right: 6px; }}
"""


class AgendaPage(QWidget):
    """The event's header (title, dates, venue, organisers, funders) above the agenda editor.

    Signals: none; edits go to the window's ``Edits`` (``desktop.ui.shell.commands``), and
    the page reads the agenda again when ``on_data_changed`` says they touched it (``TABLES``).
    """

    TABLES = frozenset({"event", "event_organisation", "organisation", "room", "session", "agenda_item",
                        "role", "person"})
    """The tables the page shows: a change to any of them makes the window read it again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database: Database | None = None
        self._detail: EventDetail | None = None
        self._days: dict[dt.date, list[AgendaEntry]] = {}
        self._day_list: list[dt.date] = []
        self._conflicts: list[Conflict] = []
        self._lang = "en"
        self._settings_read = False
        self._measured: tuple[int, str] | None = None  # the event and language the columns fit
        self.dialog: QDialog | None = None

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

        # Days.
        self.day_tabs = QTabBar()
        self.day_tabs.setObjectName("dayTabs")
        self.day_tabs.setDrawBase(False)
        self.day_tabs.setExpanding(False)
        self.day_tabs.currentChanged.connect(self._on_day_tabs_current_changed)
        self.add_day_action = self._make_action(_("Add a day after the last"), self._on_add_day_action_triggered,
                                                _("Make the event one day longer, at its end"))
        self.add_day_before_action = self._make_action(
            _("Add a day before the first"), self._on_add_day_before_action_triggered,
            _("Make the event one day longer, at its start"))
        self.remove_day_action = self._make_action(_("Remove this day"), self._on_remove_day_action_triggered,
                                                   _("Remove the day shown (the first or last, when it is empty)"))
        self.previous_day_action = self._make_action(_("Previous day"), self._on_previous_day_action_triggered,
                                                     _("Show the day before"), "Ctrl+PgUp")
        self.next_day_action = self._make_action(_("Next day"), self._on_next_day_action_triggered,
                                                 _("Show the day after"), "Ctrl+PgDown")
        self.days_menu = QMenu(p_("agenda", "Days"), self)
        for action in (self.add_day_action, self.add_day_before_action, self.remove_day_action):
            self.days_menu.addAction(action)
        self.days_menu.addSeparator()
        self.days_menu.addAction(self.previous_day_action)
        self.days_menu.addAction(self.next_day_action)
        self.days_menu.aboutToShow.connect(self._on_days_menu_about_to_show)
        self.days_button = QToolButton()
        self.days_button.setObjectName("daysButton")
        self.days_button.setText(p_("agenda", "Days"))
        self.days_button.setToolTip(_("Add or remove a day of the event"))
        self.days_button.setMenu(self.days_menu)
        self.days_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        # The two views, as a pair of toggles.
        self.view_buttons = QButtonGroup(self)
        self.view_buttons.setExclusive(True)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        for index, (caption, tip, key) in enumerate((
                (p_("agenda view", "Outline"), _("Show the day as an outline"), "Alt+1"),
                (p_("agenda view", "Timetable"), _("Show the day as a timetable"), "Alt+2"))):
            button = QToolButton()
            button.setObjectName("viewButton")
            button.setText(caption)
            button.setCheckable(True)
            button.setToolTip(f"{tip} ({key})")
            button.setShortcut(QKeySequence(key))
            self.view_buttons.addButton(button, index)
            switch.addWidget(button)
        self.outline_button = cast(QToolButton, self.view_buttons.button(OUTLINE))
        self.timetable_button = cast(QToolButton, self.view_buttons.button(TIMETABLE))
        self.outline_button.setChecked(True)
        self.view_buttons.idToggled.connect(self._on_view_buttons_id_toggled)

        # Actions: the toolbar, the context menu, and their keys.
        self.new_session_action = self._make_action(
            _("New session…"), self._on_new_session_action_triggered, _("Add a session to the day"), "Ctrl+Shift+N")
        self.new_item_action = self._make_action(
            _("New item…"), self._on_new_item_action_triggered,
            _("Add an agenda item (into the selected session, if one is)"), "Ctrl+N", register=False)
        self.edit_action = self._make_action(p_("agenda", "Edit…"), self._on_edit_action_triggered,
                                             _("Edit the selected session or item"), "Enter, F2", register=False)
        self.duplicate_action = self._make_action(
            p_("agenda", "Duplicate"), self._on_duplicate_action_triggered,
            _("Copy the selected session or item, with its people, right after it"), "Ctrl+D")
        self.delete_action = self._make_action(p_("agenda", "Delete"), self._on_delete_action_triggered,
                                               _("Delete the selected session or item"), "Del", register=False)
        self.move_up_action = self._make_action(
            _("Move up"), self._on_move_up_action_triggered,
            _("Exchange places (and time slots) with the row above"), "Alt+Up", register=False)
        self.move_down_action = self._make_action(
            _("Move down"), self._on_move_down_action_triggered,
            _("Exchange places (and time slots) with the row below"), "Alt+Down", register=False)
        self.shift_action = self._make_action(
            _("Shift from here…"), self._on_shift_action_triggered,
            _("Move the selected item and everything after it that day by some minutes"), "Ctrl+T")
        self.move_out_action = self._make_action(
            _("Move out of its session"), self._on_move_out_action_triggered,
            _("Make the selected item a top-level item of the day"))
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("agendaTools")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_session_action, self.new_item_action, None, self.edit_action,
                       self.duplicate_action, self.delete_action, None, self.move_up_action,
                       self.move_down_action, self.shift_action):
            if action is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(action)

        # The outline.
        self.model = AgendaModel(self)
        self.view = AgendaTree(self.model)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_custom_context_menu_requested)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.view.header().sectionResized.connect(self._on_header_section_resized)
        self._view_keys(self.view)

        # The timetable is made when first shown or asked for (``timetable``).
        self._timetable: TimetableView | None = None
        self.views = QStackedWidget()
        self.views.addWidget(self.view)

        # The conflicts, beside the views.
        self.conflicts_panel = ConflictsPanel()
        self.conflicts_panel.setObjectName("conflictsPanel")
        self.conflicts_panel.item_activated.connect(self._on_conflicts_panel_item_activated)
        self.conflicts_panel.session_activated.connect(self._on_conflicts_panel_session_activated)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("agendaSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.views)
        self.splitter.addWidget(self.conflicts_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 300])
        self.splitter.splitterMoved.connect(self._on_splitter_splitter_moved)

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.day_tabs, 1)
        bar.addWidget(self.days_button)
        bar.addSpacing(12)
        bar.addLayout(switch)
        tools = QHBoxLayout()
        tools.setSpacing(8)
        tools.addWidget(self.toolbar, 1)
        tools.addWidget(self.conflicts_panel.summary)  # "✓ No conflicts": the panel, when it has none

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addWidget(self.partners_label)
        layout.addSpacing(10)
        layout.addLayout(bar)
        layout.addLayout(tools)
        layout.addWidget(self.splitter, 1)

        self.setStyleSheet(VIEW_SWITCH_STYLE)
        self.add_claim = ShortcutClaim(QKeySequence("Ctrl+N"), self._on_add_claim_activated, self)
        self.add_claim.watch([w for w in self.findChildren(QWidget) if w.focusPolicy() != Qt.FocusPolicy.NoFocus])
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self._on_save_timer_timeout)
        self._update_actions()

    # -- building -------------------------------------------------------------------------------

    @property
    def timetable(self) -> TimetableView:
        """The Timetable view of the day, made when first needed (start-up shows the outline)."""
        if self._timetable is None:
            self._timetable = self._make_timetable()
        return self._timetable

    def _make_timetable(self) -> TimetableView:
        """The timetable, in the views and showing the day (the outline's item selected)."""
        from desktop.ui.agenda.timetable import TimetableView

        timetable = TimetableView()
        timetable.setObjectName("agendaTimetable")
        timetable.item_retimed.connect(self._on_timetable_item_retimed)
        timetable.item_moved.connect(self._on_timetable_item_moved)
        timetable.item_selected.connect(self._on_timetable_item_selected)
        timetable.item_activated.connect(self._on_timetable_item_activated)
        timetable.session_activated.connect(self._on_timetable_session_activated)
        timetable.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        timetable.customContextMenuRequested.connect(self._on_timetable_custom_context_menu_requested)
        delete_key = QAction(self.delete_action.text(), timetable)
        delete_key.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        delete_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.triggered.connect(self.delete_action.trigger)
        timetable.addAction(delete_key)
        self.add_claim.watch([w for w in (timetable, *timetable.findChildren(QWidget))
                              if w.focusPolicy() != Qt.FocusPolicy.NoFocus])
        self.views.insertWidget(TIMETABLE, timetable)
        self._timetable = timetable
        day = self.current_day()
        if day is not None:
            self._show_timetable_day(day, self._days.get(day, []))
            entry = self.current_entry()
            if entry is not None and not entry.is_session:
                timetable.select_item(entry.id)
        return timetable

    def _make_action(self, text_: str, slot: Callable[[], None], tip: str, keys: str | None = None,
                     *, register: bool = True) -> QAction:
        """An action; ``keys`` are named in its tooltip, and bound on the page when
        ``register`` (else the views bind them: see ``_view_keys``)."""
        action = QAction(text_, self)
        full_tip = f"{tip} ({keys})" if keys else tip  # the keys' names as Qt writes them, in any language
        action.setToolTip(full_tip)
        action.setStatusTip(full_tip)
        if keys and register:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        action.triggered.connect(slot)
        return action

    def _view_keys(self, view: QWidget) -> None:
        """Enter, F2, Del and Alt+Up/Down on the outline (only while it has the focus: the
        timetable has keys of its own)."""
        alt = Qt.KeyboardModifier.AltModifier
        for keys, target in (
                ((QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter), QKeySequence(Qt.Key.Key_F2)),
                 self.edit_action),
                ((QKeySequence(Qt.Key.Key_Delete),), self.delete_action),
                ((QKeySequence(alt | Qt.Key.Key_Up),), self.move_up_action),
                ((QKeySequence(alt | Qt.Key.Key_Down),), self.move_down_action)):
            action = QAction(target.text(), view)
            action.setShortcuts(list(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(target.trigger)
            view.addAction(action)

    # -- public -------------------------------------------------------------------------------

    def show_event(self, database: Database, detail: EventDetail, lang: str) -> None:
        """Load the agenda of ``detail``'s event and show it in ``lang``; the day, the view
        and the selected entry stay as they were when they still exist."""
        keep = self.current_key()
        self._database, self._detail, self._lang = database, detail, lang
        self._read_settings()
        self._reload(keep)

    def days(self) -> list[dt.date]:
        """The days the page offers: the event's, and any other that holds entries."""
        return list(self._day_list)

    def current_day(self) -> dt.date | None:
        index = self.day_tabs.currentIndex()
        return self._day_list[index] if 0 <= index < len(self._day_list) else None

    def set_day(self, day: dt.date) -> None:
        if day in self._day_list:
            self.day_tabs.setCurrentIndex(self._day_list.index(day))

    def current_view(self) -> int:
        return self.views.currentIndex()

    def show_view(self, index: int) -> None:
        self.view_buttons.button(index).setChecked(True)

    def current_key(self) -> EntryKey | None:
        index = self.view.currentIndex()
        entry = self.model.entry(index) if index.isValid() else None
        return entry_key(entry) if entry is not None else None

    def current_entry(self) -> AgendaEntry | None:
        index = self.view.currentIndex()
        return self.model.entry(index) if index.isValid() else None

    def select(self, key: EntryKey | None) -> bool:
        """Show the day of a session or item and select it; False when it is not there."""
        if key is None:
            return False
        for day, entries in self._days.items():
            if any(entry_key(e) == key or any(entry_key(c) == key for c in e.children) for e in entries):
                if self.current_day() != day:
                    self.set_day(day)
                break
        index = self.model.find(key)
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        if key[0] == "item" and self._timetable is not None:
            self._timetable.select_item(key[1])
        return True

    def undo_stack(self) -> QUndoStack:
        """The window's undo stack (Edit → Undo); the page's own outside a window."""
        return self._edits().stack

    def conflicts(self) -> list[Conflict]:
        return list(self._conflicts)

    # -- reading ------------------------------------------------------------------------------

    def _reload(self, keep: EntryKey | None = None) -> None:
        if self._database is None or self._detail is None:
            return
        event_id = self._detail.summary.id
        with self._database.read() as session:
            self._days = load_agenda(session, event_id, self._lang)
            self._conflicts = find_conflicts(session, event_id, self._lang)
        if self._measured != (event_id, self._lang):
            # The outline's columns fit the event's texts once, not after every edit.
            self._measured = (event_id, self._lang)
            every_day = AgendaModel()
            every_day.set_entries([e for day in sorted(self._days) for e in self._days[day]], self._lang)
            self.view.fit_to_content(every_day)
        self._fill_header()
        self._fill_days()
        self._show_day(keep, in_place=True)
        self.conflicts_panel.show_conflicts(self._conflicts)
        # Without conflicts the panel is one line beside the toolbar, and the agenda takes its width.
        self.conflicts_panel.setVisible(bool(self._conflicts))

    def _fill_days(self) -> None:
        assert self._detail is not None
        ev = self._detail.summary
        days = {ev.starts_on + dt.timedelta(days=n) for n in range((ev.ends_on - ev.starts_on).days + 1)}
        days |= set(self._days)
        previous = self.current_day()
        self._day_list = sorted(days)
        self.day_tabs.blockSignals(True)
        while self.day_tabs.count():
            self.day_tabs.removeTab(0)
        for day in self._day_list:
            outside = not ev.starts_on <= day <= ev.ends_on
            index = self.day_tabs.addTab(formats.weekday_date(day) + ("  ⚠" if outside else ""))
            count = len(self._days.get(day, []))
            # Translators: {day} is a date with its weekday ("Friday, 28 February 2025"); {n} a number.
            tip = n_("{day}: {n} session or top-level item", "{day}: {n} sessions and top-level items",
                     count).format(day=formats.date(day, style="full"), n=formats.number(count))
            if outside:
                tip += "\n" + _("This day is not one of the event's days: move its entries, or add the day.")
            self.day_tabs.setTabToolTip(index, tip)
        if previous in self._day_list:
            self.day_tabs.setCurrentIndex(self._day_list.index(previous))
        else:
            self.day_tabs.setCurrentIndex(0)
        self.day_tabs.blockSignals(False)

    def _conflict_sentences(self) -> dict[EntryKey, list[str]]:
        out: dict[EntryKey, list[str]] = {}
        for conflict in self._conflicts:
            for item_id in getattr(conflict, "item_ids", ()):
                out.setdefault(("item", item_id), []).append(conflict.message)
            for session_id in getattr(conflict, "session_ids", ()):
                out.setdefault(("session", session_id), []).append(conflict.message)
        return out

    def _show_day(self, keep: EntryKey | None = None, *, in_place: bool = False) -> None:
        """Show the current day's entries, selecting ``keep``. ``in_place`` (the agenda read
        again: an edit, another workstation's change): the scroll positions of both views
        stay where they were — the page does not jump to the selected entry the user had
        scrolled away from."""
        day = self.current_day()
        entries = self._days.get(day, []) if day is not None else []
        scroll = self.view.verticalScrollBar().value()
        table_scroll = ((self._timetable.horizontalScrollBar().value(), self._timetable.verticalScrollBar().value())
                        if self._timetable is not None else None)
        languages = self._detail.languages if self._detail is not None and self._detail.languages else None
        if languages:
            self.model.set_entries(entries, self._lang, self._conflict_sentences(), languages)
        else:
            self.model.set_entries(entries, self._lang, self._conflict_sentences())
        self.view.expandAll()
        self.view.verticalScrollBar().setValue(scroll)
        if day is not None and self._timetable is not None:
            self._show_timetable_day(day, entries)
        if not self.select(keep) and self.model.rowCount() and keep is not None:
            self.view.setCurrentIndex(self.model.index(0, 0))
        if in_place and self.current_day() == day:  # where the user had scrolled to
            self.view.verticalScrollBar().setValue(scroll)
            if table_scroll is not None and self._timetable is not None:
                self._timetable.horizontalScrollBar().setValue(table_scroll[0])
                self._timetable.verticalScrollBar().setValue(table_scroll[1])
        self._update_actions()

    def _show_timetable_day(self, day: dt.date, entries: Sequence[AgendaEntry]) -> None:
        from desktop.ui.agenda.timetable import blocks_for_day

        if self._detail is None or self._timetable is None:
            return
        rooms: list[tuple[int | None, str]] = [(rid, text(name, self._lang) or _("Room {id}").format(id=rid))
                                               for rid, name, _capacity in self._detail.rooms]
        blocks = blocks_for_day(list(entries), day, self._lang, rooms)
        by_session: dict[int, list[str]] = {}
        for conflict in self._conflicts:
            for session_id in conflict.session_ids:
                by_session.setdefault(session_id, []).append(conflict.message)
        self._timetable.set_day(day, rooms, blocks, conflicts_by_item(self._conflicts), by_session)

    def _fill_header(self) -> None:
        detail = self._detail
        if detail is None:
            return
        ev = detail.summary
        self.title_label.setText(pick(ev.title, self._lang).text or _("Untitled event"))
        where = ", ".join(t for t in (pick(ev.venue, self._lang).text, pick(ev.city, self._lang).text) if t)
        parts = [formats.date(ev.starts_on, style="full") if ev.starts_on == ev.ends_on
                 else ev.dates()]
        if where:
            parts.append(where)
        # Translators: {zone} is a time zone's name ("Asia/Almaty").
        parts.append(_("times in {zone}").format(zone=detail.timezone))
        self.subtitle_label.setText("  ·  ".join(parts))
        lines = []
        for role in (PartnerRole.ORGANISER, PartnerRole.CO_ORGANISER, PartnerRole.FUNDER, PartnerRole.PARTNER):
            partners = detail.partners_in(role)
            if not partners:
                continue
            names = ", ".join(_html_localised(pick(p.name, self._lang)) for p in partners)
            caption = vocabulary.partner_role(role, several=len(partners) > 1)
            lines.append(f"<span style='color:{style.MUTED}'>{_html_escape(caption)}:</span> {names}")
        self.partners_label.setText("<br>".join(lines))
        self.partners_label.setVisible(bool(lines))

    def _update_actions(self) -> None:
        has_event = self._detail is not None and self._database is not None
        index = self.view.currentIndex()
        entry = self.model.entry(index) if index.isValid() else None
        for action in (self.new_session_action, self.new_item_action):
            action.setEnabled(has_event and self.current_day() is not None)
        for action in (self.edit_action, self.duplicate_action, self.delete_action):
            action.setEnabled(has_event and entry is not None)
        siblings = self.model.rowCount(index.parent()) if entry is not None else 0
        self.move_up_action.setEnabled(entry is not None and index.row() > 0)
        self.move_down_action.setEnabled(entry is not None and index.row() < siblings - 1)
        self.shift_action.setEnabled(entry is not None and self._shift_item(entry) is not None)
        self.move_out_action.setEnabled(entry is not None and not entry.is_session and index.parent().isValid())
        self.move_out_action.setVisible(self.move_out_action.isEnabled())

    # -- settings -------------------------------------------------------------------------------

    def _settings(self) -> QSettings:
        window = self.window()
        settings = getattr(window, "settings", None) if window is not self else None
        if callable(settings):
            settings = settings()
        return settings if isinstance(settings, QSettings) else QSettings()

    def _read_settings(self) -> None:
        if self._settings_read:
            return
        self._settings_read = True
        settings = self._settings()
        state = settings.value(SPLITTER)
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        widths = settings.value(COLUMNS)
        if isinstance(widths, str) and widths:
            try:
                values = [int(v) for v in widths.split(",")]
            except ValueError:
                values = []
            self.view.set_widths({c: w for c, w in enumerate(values) if c != AgendaModel.TITLE})
        view = settings.value(VIEW)
        if str(view) == str(TIMETABLE):
            self.timetable_button.setChecked(True)

    def _save_settings(self) -> None:
        settings = self._settings()
        settings.setValue(SPLITTER, self.splitter.saveState())
        widths = self.view.widths()
        settings.setValue(COLUMNS, ",".join(str(widths.get(c, 0)) for c in range(len(AgendaModel.HEADERS))))
        settings.setValue(VIEW, self.current_view())

    # -- edits ----------------------------------------------------------------------------------

    def _edits(self) -> Edits:
        """The window's edits; outside a window, the page's own (and the page listens)."""
        from desktop.ui.shell.commands import edits_of

        return edits_of(self, self._on_own_edits_data_changed)

    def _push(self, edit: Edit) -> bool:
        if self._database is None:
            return False
        return self._edits().run(edit, self._database, origin=self) is not None

    def on_data_changed(self, changed: Changed) -> None:
        """After an edit, undo or redo (the window has read again what it touched): select
        what it was about."""
        key = _entry_key(changed.select)
        if key is not None and self._detail is not None and self.isVisible():
            self.select(key)

    def _on_own_edits_data_changed(self, changed: Changed) -> None:
        """Outside a window: read the agenda again (the event's days too) and select."""
        if self._database is None or self._detail is None:
            return
        if changed.touches("event", "room", "event_organisation"):
            with self._database.read() as session:
                self._detail = event_detail(session, self._detail.summary.id)
        key = _entry_key(changed.select)
        self._reload(key or self.current_key())
        if key is not None:
            self.select(key)  # shown, as in a window (the reload kept the scroll position)

    def _rooms(self) -> list[Choice]:
        from desktop.ui.agenda.dialogs import Choice
        if self._detail is None:
            return []
        return [Choice(rid, text(name, self._lang) or _("Room {id}").format(id=rid))
                for rid, name, _capacity in self._detail.rooms]

    def _sessions_of(self, day: dt.date) -> list[Choice]:
        from desktop.ui.agenda.dialogs import Choice
        return [Choice(e.id, f"{e.times()}  {text(e.title, self._lang) or _('Untitled session')}")
                for e in self._days.get(day, []) if e.is_session]

    def _parent_session(self, index: QModelIndex) -> AgendaEntry | None:
        parent = index.parent()
        return self.model.entry(parent) if parent.isValid() else None

    def _day_end_of_entries(self, day: dt.date) -> dt.datetime:
        entries = self._days.get(day, [])
        if not entries:
            return dt.datetime.combine(day, dt.time(9))
        return max(e.ends_at for e in entries)

    @staticmethod
    def _fit(start: dt.datetime, minutes: int) -> tuple[dt.datetime, dt.datetime]:
        """``start`` and ``minutes`` later, kept within the day (on the five-minute grid)."""
        midnight = dt.datetime.combine(start.date(), dt.time(23, 55))
        start = min(start, midnight - dt.timedelta(minutes=5))
        return start, min(start + dt.timedelta(minutes=minutes), midnight)

    def new_session(self) -> SessionDialog | None:
        """Open the dialog of a new session on the day shown (after the day's last entry)."""
        from desktop.core import agenda_edit as ae
        from desktop.ui.agenda import commands
        from desktop.ui.agenda.dialogs import SessionDialog
        day = self.current_day()
        if self._database is None or self._detail is None or day is None:
            return None
        start, end = self._fit(self._day_end_of_entries(day), DEFAULT_SESSION_MINUTES)
        rooms = self._rooms()
        data = ae.SessionData({}, start, end, rooms[0].id if rooms else None)
        dialog = SessionDialog(self._database, self._detail.summary.id, self._lang, day, rooms, data, (), self,
                               is_new=True)
        selected = self.current_key()
        self._open_editor(dialog, lambda: self._push(commands.add_session(
            self._detail.summary.id, dialog.data(), selected)))  # type: ignore[union-attr]
        return dialog

    def new_item(self) -> ItemDialog | None:
        """Open the dialog of a new item: into the selected session (after the selected
        item), else at top level after the selected entry or the day's last one."""
        from desktop.core import agenda_edit as ae
        from desktop.ui.agenda import commands
        from desktop.ui.agenda.dialogs import ItemDialog
        day = self.current_day()
        if self._database is None or self._detail is None or day is None:
            return None
        index = self.view.currentIndex()
        entry = self.model.entry(index) if index.isValid() else None
        session_id: int | None = None
        room_id: int | None = None
        if entry is not None and entry.is_session:
            session_id = entry.id
            start = max((c.ends_at for c in entry.children), default=entry.starts_at)
        elif entry is not None:
            parent = self._parent_session(index)
            session_id = parent.id if parent is not None else None
            start = entry.ends_at
        else:
            start = self._day_end_of_entries(day)
        if session_id is None:
            rooms = self._rooms()
            room_id = rooms[0].id if rooms else None
        start, end = self._fit(start, DEFAULT_ITEM_MINUTES)
        data = ae.ItemData(ItemKind.PRESENTATION, {}, start, end, room_id, session_id)
        dialog = ItemDialog(self._database, self._detail.summary.id, self._lang, day, self._rooms(),
                            self._sessions_of(day), data, (), self, is_new=True)
        selected = self.current_key()
        self._open_editor(dialog, lambda: self._push(commands.add_item(
            self._detail.summary.id, dialog.data(), selected)))  # type: ignore[union-attr]
        return dialog

    def edit_selected(self) -> QDialog | None:
        """Open the editor of the selected session or item."""
        from desktop.core import agenda_edit as ae
        from desktop.core.errors import error_sentence
        from desktop.core.row_news import mark_row
        from desktop.ui.agenda import commands
        from desktop.ui.agenda.dialogs import Cast, ItemDialog, SessionDialog
        entry = self.current_entry()
        day = self.current_day()
        if entry is None or self._database is None or self._detail is None or day is None:
            return None
        cast_ = [Cast(p.person_id, p.name, text(p.organisation, self._lang), p.role) for p in entry.people]
        try:
            with self._database.read() as session:
                if entry.is_session:
                    sdata = ae.load_session_data(session, entry.id)
                else:
                    idata = ae.load_item_data(session, entry.id)
                mark = mark_row(session, "session" if entry.is_session else "agenda_item", entry.id)
        except (ae.AgendaError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, _("Cannot edit"), error_sentence(exc))
            return None
        dialog: QDialog
        if entry.is_session:
            sdialog = SessionDialog(self._database, self._detail.summary.id, self._lang, day, self._rooms(),
                                    sdata, cast_, self)
            sdialog.watch_row(mark)
            self._open_editor(sdialog, lambda: self._push(commands.edit_session(entry.id, sdialog.data(),
                                                                                base=sdata)))
            dialog = sdialog
        else:
            idialog = ItemDialog(self._database, self._detail.summary.id, self._lang, day, self._rooms(),
                                 self._sessions_of(day), idata, cast_, self)
            idialog.watch_row(mark)
            self._open_editor(idialog, lambda: self._push(commands.edit_item(entry.id, idialog.data(), base=idata)))
            dialog = idialog
        return dialog

    def _open(self, dialog: QDialog, on_accept: Callable[[], object]) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            self.dialog = None
            if result == QDialog.DialogCode.Accepted:
                on_accept()

        dialog.finished.connect(finished)
        dialog.open()

    def _open_editor(self, dialog: SessionDialog | ItemDialog, save: Callable[[], bool]) -> None:
        """Open a session or item editor that makes ``save`` on Save, while still open
        (``desktop.ui.shell.saving``): it closes once the edit landed, and stays open with
        the user's input after a Cancel at "which value to keep?" or a refused save."""
        dialog.save.make = save
        self._open(dialog, lambda: None)

    def _title_of(self, entry: AgendaEntry) -> str:
        value = text(entry.title, self._lang) or (_("untitled session") if entry.is_session else _("untitled item"))
        return value if len(value) <= 60 else value[:59].rstrip() + "…"

    def duplicate_selected(self) -> bool:
        from desktop.ui.agenda import commands
        entry = self.current_entry()
        if entry is None or self._database is None:
            return False
        return self._push(commands.duplicate(entry_key(entry), self._title_of(entry)))

    def delete_selected(self) -> bool:
        """Delete the selected entry; asks first when people or items go with it."""
        from desktop.core import agenda_edit as ae
        from desktop.ui.agenda import commands
        entry = self.current_entry()
        if entry is None or self._database is None:
            return False
        title = self._title_of(entry)
        question: str | None = None
        if entry.is_session:
            with self._database.read() as session:
                contents = ae.session_contents(session, entry.id)
            if contents.items or contents.roles:
                question = contents.sentence(title)
        elif entry.people:
            # Translators: {people} is "2 persons on stage".
            question = _("Delete “{title}” with its {people}?").format(
                title=title, people=ae.on_stage_count(len(entry.people)))
        if question is not None:
            answer = QMessageBox.question(
                self, p_("agenda", "Delete"), question + "\n\n" + _("Edit → Undo brings it back."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self._push(commands.delete(entry_key(entry), title))

    def move_selected(self, offset: int) -> bool:
        from desktop.ui.agenda import commands
        entry = self.current_entry()
        if entry is None or self._database is None:
            return False
        index = self.view.currentIndex()
        if not 0 <= index.row() + offset < self.model.rowCount(index.parent()):
            return False
        return self._push(commands.move(entry_key(entry), offset, self._title_of(entry)))

    def _shift_item(self, entry: AgendaEntry) -> AgendaEntry | None:
        """The item "Shift from here" starts at: the entry, or a session's first item."""
        if not entry.is_session:
            return entry
        return entry.children[0] if entry.children else None

    def shift_selected(self, minutes: int | None = None) -> ShiftDialog | bool:
        """Shift from the selected item by ``minutes``; without them, ask (returns the dialog)."""
        from desktop.core import agenda_edit as ae
        from desktop.ui.agenda import commands
        from desktop.ui.agenda.dialogs import ShiftDialog
        entry = self.current_entry()
        item = self._shift_item(entry) if entry is not None else None
        if item is None or self._database is None or self._detail is None:
            return False
        event_id = self._detail.summary.id
        if minutes is not None:
            return self._push(commands.shift(event_id, item.id, minutes, self._title_of(item)))
        with self._database.read() as session:
            count = ae.shift_count(session, event_id, item.id)
        dialog = ShiftDialog(self._title_of(item), item.starts_at, count, self)
        self._open(dialog, lambda: self.shift_selected(dialog.value()))
        return dialog

    def move_out_of_session(self) -> bool:
        from desktop.ui.agenda import commands
        entry = self.current_entry()
        if entry is None or entry.is_session or self._database is None:
            return False
        parent = self._parent_session(self.view.currentIndex())
        return self._push(commands.set_session(entry.id, None, self._title_of(entry),
                                               base=parent.id if parent is not None else None))

    def retime(self, item_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
               base: tuple[dt.datetime, dt.datetime] | None = None) -> bool:
        """Give an item new times (the timetable's drag), as an undoable edit. ``base``: its
        times when the drag began (else as the page read them): someone else's change of
        them since is a conflict, not overwritten."""
        from desktop.ui.agenda import commands
        if self._database is None:
            return False
        title = self._item_title(item_id, starts_at.date())
        if base is None:
            shown = next((c for entries in self._days.values() for e in entries for c in (e, *e.children)
                          if not c.is_session and c.id == item_id), None)
            base = (shown.starts_at, shown.ends_at) if shown is not None else None
        return self._push(commands.set_times(item_id, starts_at, ends_at, title, base=base))

    def move_to_room(self, item_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
                     room_id: int | None, base: tuple[dt.datetime, dt.datetime, int | None] | None = None) -> bool:
        """Give an item new times and room (a block dragged to another column), undoably.
        ``base``: its times and room when the drag began (someone else's change of them since
        is a conflict, not overwritten)."""
        from desktop.ui.agenda import commands
        if self._database is None:
            return False
        room = next((c.label for c in self._rooms() if c.id == room_id), _("no room"))
        return self._push(commands.set_place(item_id, starts_at, ends_at, room_id,
                                             self._item_title(item_id, starts_at.date()), room, base))

    def _item_title(self, item_id: int, day: dt.date) -> str:
        return next((self._title_of(c) for e in self._days.get(day, [])
                     for c in (e, *e.children) if not c.is_session and c.id == item_id), _("untitled item"))

    def _day_command(self, make: Callable[[], Edit]) -> bool:
        if self._database is None or self._detail is None:
            return False
        return self._push(make())

    # -- slots ----------------------------------------------------------------------------------

    def _on_day_tabs_current_changed(self, _index: int) -> None:
        self._show_day()

    def _on_view_buttons_id_toggled(self, index: int, checked: bool) -> None:
        if checked:
            self.views.setCurrentWidget(self.timetable if index == TIMETABLE else self.view)
            self._save_timer.start()

    def _on_header_section_resized(self, _column: int, _old: int, _new: int) -> None:
        self._save_timer.start()

    def _on_splitter_splitter_moved(self, _pos: int, _index: int) -> None:
        self._save_timer.start()

    def _on_save_timer_timeout(self) -> None:
        self._save_settings()

    def _on_view_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()

    def _on_view_double_clicked(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def _context_menu(self) -> QMenu:
        menu = QMenu(self)
        for action in (self.edit_action, self.duplicate_action, self.delete_action, None, self.move_up_action,
                       self.move_down_action, self.move_out_action, self.shift_action, None,
                       self.new_item_action, self.new_session_action):
            if action is None:
                menu.addSeparator()
            elif action.isVisible():
                menu.addAction(action)
        return menu

    def _on_view_custom_context_menu_requested(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
        self._context_menu().popup(self.view.viewport().mapToGlobal(pos))

    def _on_timetable_custom_context_menu_requested(self, pos: QPoint) -> None:
        item_id = self.timetable.selected_item()
        if item_id is not None:
            self.select(("item", item_id))
        self._context_menu().popup(self.timetable.viewport().mapToGlobal(pos))

    def _on_timetable_item_retimed(self, item_id: int, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
        was = self.timetable.moved_from
        self.retime(item_id, starts_at, ends_at,
                    (was.starts_at, was.ends_at) if was is not None and was.item_id == item_id else None)

    def _on_timetable_item_moved(self, item_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
                                 room_id: int | None) -> None:
        was = self.timetable.moved_from
        self.move_to_room(item_id, starts_at, ends_at, room_id,
                          (was.starts_at, was.ends_at, was.room_id) if was is not None and was.item_id == item_id
                          else None)

    def _on_timetable_item_selected(self, item_id: int) -> None:
        index = self.model.find(("item", item_id))
        if index.isValid():
            self.view.setCurrentIndex(index)

    def _on_timetable_item_activated(self, item_id: int) -> None:
        if self.select(("item", item_id)):
            self.edit_selected()

    def _on_timetable_session_activated(self, session_id: int) -> None:
        if self.select(("session", session_id)):
            self.edit_selected()

    def _on_conflicts_panel_session_activated(self, session_id: int) -> None:
        if self.select(("session", session_id)):
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_conflicts_panel_item_activated(self, item_id: int) -> None:
        if self.select(("item", item_id)):
            (self.timetable if self.current_view() == TIMETABLE else self.view).setFocus(
                Qt.FocusReason.OtherFocusReason)

    def _on_add_claim_activated(self) -> None:
        self.new_item_action.trigger()

    def _on_days_menu_about_to_show(self) -> None:
        day = self.current_day()
        days = self.days()
        ev = self._detail.summary if self._detail is not None else None
        removable = (ev is not None and day is not None and ev.starts_on != ev.ends_on
                     and day in (ev.starts_on, ev.ends_on) and not self._days.get(day))
        self.remove_day_action.setEnabled(bool(removable))
        index = self.day_tabs.currentIndex()
        self.previous_day_action.setEnabled(index > 0)
        self.next_day_action.setEnabled(0 <= index < len(days) - 1)

    def _on_add_day_action_triggered(self) -> None:
        from desktop.ui.agenda import commands
        if self._database is not None and self._detail is not None:
            event_id = self._detail.summary.id
            self._day_command(lambda: commands.add_day(event_id, False))  # type: ignore[arg-type]

    def _on_add_day_before_action_triggered(self) -> None:
        from desktop.ui.agenda import commands
        if self._database is not None and self._detail is not None:
            event_id = self._detail.summary.id
            self._day_command(lambda: commands.add_day(event_id, True))  # type: ignore[arg-type]

    def _on_remove_day_action_triggered(self) -> None:
        from desktop.ui.agenda import commands
        day = self.current_day()
        if self._database is not None and self._detail is not None and day is not None:
            event_id = self._detail.summary.id
            self._day_command(lambda: commands.remove_day(event_id, day))  # type: ignore[arg-type]

    def _on_previous_day_action_triggered(self) -> None:
        self.day_tabs.setCurrentIndex(max(0, self.day_tabs.currentIndex() - 1))

    def _on_next_day_action_triggered(self) -> None:
        self.day_tabs.setCurrentIndex(min(self.day_tabs.count() - 1, self.day_tabs.currentIndex() + 1))

    def _on_new_session_action_triggered(self) -> None:
        self.new_session()

    def _on_new_item_action_triggered(self) -> None:
        self.new_item()

    def _on_edit_action_triggered(self) -> None:
        self.edit_selected()

    def _on_duplicate_action_triggered(self) -> None:
        self.duplicate_selected()

    def _on_delete_action_triggered(self) -> None:
        self.delete_selected()

    def _on_move_up_action_triggered(self) -> None:
        self.move_selected(-1)

    def _on_move_down_action_triggered(self) -> None:
        self.move_selected(1)

    def _on_shift_action_triggered(self) -> None:
        self.shift_selected()

    def _on_move_out_action_triggered(self) -> None:
        self.move_out_of_session()


def _html_escape(value: str) -> str:
    """``html.escape`` (quotes too), without importing ``html`` and its entity tables at start-up."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def _html_localised(value: Localised) -> str:
    escaped = _html_escape(value.text)
    return f"<i>{escaped}</i>" if value.fallback else escaped
