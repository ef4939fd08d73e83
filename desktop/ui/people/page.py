"""The People section: the roster shared by all events, who is on stage in this event, and
the organisations — each a plain table filtered as you type.

Edits (add, edit, delete, merge; organisations too) open a dialog, then go to the window's
``Edits`` (``desktop.ui.people.commands`` makes them), so Edit → Undo takes any of them back;
the page reads again what they touched (``TABLES``) and selects what they were about. The
person and organisation dialogs save from inside (``desktop.ui.shell.saving``): they close
once the edit landed, and stay open with the typing after a Cancel at "which value to keep?".
Keys inside the section: Ctrl+N adds, Enter or a double-click edits, Del deletes (after
asking, with what goes with the person), Ctrl+F searches.

A large roster (``PeopleModel.in_background``) is searched once typing pauses
(``SEARCH_DELAY_MS``, as the registration list) and in the model's thread, so a keystroke
never waits for the database; the count, the empty view's note and what the search also
read the text as follow when the model has ``loaded``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any, cast

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from desktop.core import formats, vocabulary
from desktop.core.changes import RowRef, id_for_uuid, ref_of
from desktop.core.events import EventDetail
from desktop.core.folding import matches, search_fold, search_terms
from desktop.core.language import N_, _, n_, p_
from desktop.core.organisations import OrganisationRow, organisation_rows, organisation_usage
from desktop.core.people import SpeakerRow, deletion_impact, speakers
from desktop.core.roster_list import registrations_of
from desktop.ui.people import commands
from desktop.ui.people.merge_dialog import MergeDialog
from desktop.ui.people.organisations import OrganisationDialog, OrganisationsModel
from desktop.ui.people.person_dialog import PersonDialog
from desktop.ui.people.roster_model import PeopleModel
from desktop.ui.shell import style
from desktop.ui.shell.commands import Changed, Edit, Edits, edits_of
from desktop.ui.shell.shortcuts import ShortcutClaim
from desktop.ui.shell.table import CLEAR_SEARCH, Column, EmptyNote, RowTableModel, configure_table, no_matches

ROSTER, SPEAKERS, ORGANISATIONS = range(3)
# The words of the three views are messages, translated where they are shown.
# What an empty view says when there is nothing in it yet (by view).
NOTHING_YET = (
    N_("The roster is empty.\nUse Add person… (Ctrl+N), or File → Import attendees… (Ctrl+I) to read a list."),
    N_("Nobody is on stage in this event yet.\nIn the Agenda, open a session or an item and add its people."),
    N_("There are no organisations yet.\nUse Add organisation… (Ctrl+N) to add one."),
)
VIEW_TITLES = (N_("&Roster"), N_("&Speakers && moderators"), N_("&Organisations"))  # Alt+R, Alt+S, Alt+O
MAX_LISTED = 12  # lines of "what goes with them" in the delete question
SEARCH_DELAY_MS = 150  # typing pauses this long before a large roster is searched (as Registrations)
HINTS = (
    N_("Ctrl+N add · Enter edit · Del delete · select two rows to merge"),
    N_("Everyone with a part in this event's programme, in its order · Enter edits the person"),
    N_("Ctrl+N add · Enter edit · Del delete"),
)


class SpeakersModel(RowTableModel):
    """``SpeakerRow``s in programme order: when, role, who, their organisation, where, room."""

    WHEN, ROLE, NAME, ORGANISATION, WHERE, ROOM = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        self._multi_day = False
        super().__init__(
            (
                Column(_("When"), self._when, sort_key=lambda r: (r.starts_at, r.ends_at), width=13),
                Column(p_("on stage", "Role"), lambda r: vocabulary.role(r.role), width=11,
                       sort_key=lambda r: vocabulary.ROLE_ORDER.index(r.role)),
                Column(p_("person", "Name"), lambda r: r.name, sort_key=lambda r: r.sort_key, width=28,
                       bold=lambda r: True),
                Column(_("Organisation"), lambda r: r.organisation, width=24,
                       tooltip=lambda r: r.organisation or None),
                Column(_("Where"), lambda r: r.place(), width=0, tooltip=lambda r: r.place()),
                Column(_("Room"), lambda r: r.room, width=12),
            ),
            parent,
        )

    def set_multi_day(self, multi_day: bool) -> None:
        """Show the day as well as the times (call before ``set_rows``)."""
        self._multi_day = multi_day

    def _when(self, row: SpeakerRow) -> str:
        if not self._multi_day:
            return row.times()
        day = row.starts_at.date()
        # Translators: {weekday} and {date} are short ("Fri", "28 Feb"), {times} "09:30–10:00".
        return _("{weekday} {date} {times}").format(weekday=formats.weekday(day, short=True),
                                                   date=formats.day_month(day, short=True), times=row.times())


class PeoplePage(QWidget):
    """The People section: Roster, Speakers & moderators, Organisations.

    Signals:
        view_changed(int): another of the three views is on show (``ROSTER``, ``SPEAKERS``,
            ``ORGANISATIONS``).
    """

    view_changed = Signal(int)

    TABLES = frozenset({"person", "organisation", "role", "registration", "session", "agenda_item", "room",
                        "event", "event_organisation"})
    """The tables the page shows (the roster counts registrations and shows roles in the
    event, the speakers view where and when, the organisations the events naming them): a
    change to any of them makes the window read it again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database: Database | None = None
        self._detail: EventDetail | None = None
        self._lang = "en"
        self._stale = {ROSTER, SPEAKERS, ORGANISATIONS}
        self._all_speakers: list[tuple[str, SpeakerRow]] = []
        self._all_organisations: list[OrganisationRow] = []
        self._last_filter: dict[int, tuple[str, Sequence[Any] | None]] = {}
        self.person_dialog: PersonDialog | None = None
        self.organisation_dialog: OrganisationDialog | None = None
        self.merge_dialog: MergeDialog | None = None
        self._dialog_person_id: int | None = None
        self._dialog_organisation_id: int | None = None

        title = QLabel(p_("section", "People"))
        title.setObjectName("pageTitle")
        title.setFont(style.scaled_font(self.font(), 1.5, bold=True))
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        # The three views, as a row of toggles.
        self.view_buttons = QButtonGroup(self)
        self.view_buttons.setExclusive(True)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        for index, caption in enumerate(VIEW_TITLES):
            button = QToolButton()
            button.setText(_(caption))
            button.setCheckable(True)
            button.setObjectName("viewButton")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.view_buttons.addButton(button, index)
            switch.addWidget(button)
        self.view_buttons.button(ROSTER).setChecked(True)
        self.view_buttons.idToggled.connect(self._on_view_buttons_id_toggled)
        self.roster_button = cast(QToolButton, self.view_buttons.button(ROSTER))
        self.speakers_button = cast(QToolButton, self.view_buttons.button(SPEAKERS))
        self.organisations_button = cast(QToolButton, self.view_buttons.button(ORGANISATIONS))

        self.search = QLineEdit()
        self.search.setObjectName("peopleSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Search names, e-mail, position, organisation…  (Ctrl+F)"))
        self.search.setMinimumWidth(180)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.search.installEventFilter(self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._on_search_timer_timeout)
        # What the search also read the text as ("as typed on the Russian layout: …"), above
        # the search at the right, where it moves nothing as it comes and goes while typing.
        # A narrow window cuts it (the tooltip has it whole).
        self.meant_label = QLabel()
        self.meant_label.setObjectName("searchMeant")
        self.meant_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.meant_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        # Actions, shown as buttons and in the context menus.
        self.add_person_action = self._make_action(_("Add person…"), self._on_add_person_action_triggered,
                                                   _("Add someone to the roster (Ctrl+N)"))
        self.edit_person_action = self._make_action(_("Edit…"), self._on_edit_person_action_triggered,
                                                    _("Edit the selected person (Enter)"))
        self.delete_person_action = self._make_action(_("Delete"), self._on_delete_person_action_triggered,
                                                      _("Delete the selected person (Del)"))
        self.merge_action = self._make_action(_("Merge…"), self._on_merge_action_triggered,
                                              _("Merge the two selected records of one person"))
        self.add_organisation_action = self._make_action(
            _("Add organisation…"), self._on_add_organisation_action_triggered, _("Add an organisation (Ctrl+N)"))
        self.edit_organisation_action = self._make_action(
            _("Edit…"), self._on_edit_organisation_action_triggered, _("Edit the selected organisation (Enter)"))
        self.delete_organisation_action = self._make_action(
            _("Delete"), self._on_delete_organisation_action_triggered, _("Delete the selected organisation (Del)"))
        self.find_action = QAction(_("Search"), self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action.triggered.connect(self._on_find_action_triggered)
        self.addAction(self.find_action)

        self.person_buttons = QWidget()
        person_row = QHBoxLayout(self.person_buttons)
        person_row.setContentsMargins(0, 0, 0, 0)
        for action in (self.add_person_action, self.edit_person_action, self.delete_person_action,
                       self.merge_action):
            person_row.addWidget(self._button(action))
        self.organisation_buttons = QWidget()
        organisation_row = QHBoxLayout(self.organisation_buttons)
        organisation_row.setContentsMargins(0, 0, 0, 0)
        for action in (self.add_organisation_action, self.edit_organisation_action,
                       self.delete_organisation_action):
            organisation_row.addWidget(self._button(action))
        self.organisation_buttons.setVisible(False)

        head = QHBoxLayout()
        head.setSpacing(0)
        head.addWidget(title)
        head.addSpacing(28)
        head.addLayout(switch)
        head.addSpacing(24)
        head.addWidget(self.meant_label, 1, Qt.AlignmentFlag.AlignBottom)
        bar = QHBoxLayout()
        bar.setSpacing(12)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.person_buttons)
        bar.addWidget(self.organisation_buttons)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("pageSubtitle")
        foot = QHBoxLayout()
        foot.addWidget(self.hint_label, 1)
        foot.addWidget(self.count_label)

        # The tables.
        self.model = PeopleModel(self)
        self.model.loaded.connect(self._on_model_loaded)
        self.view = self._table("peopleTable", self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.speakers_model = SpeakersModel(self)
        self.speakers_view = self._table("speakersTable", self.speakers_model)
        self.organisations_model = OrganisationsModel(self)
        self.organisations_view = self._table("organisationsTable", self.organisations_model)
        self.view.addAction(self._key_action(QKeySequence.StandardKey.Delete, self.delete_person_action))
        self.organisations_view.addAction(
            self._key_action(QKeySequence.StandardKey.Delete, self.delete_organisation_action))
        self.views = QStackedWidget()
        for view in (self.view, self.speakers_view, self.organisations_view):
            self.views.addWidget(view)
        # What an empty view says (a search that found nothing, or nothing there yet).
        self.empty_notes = {index: EmptyNote(view) for index, view in
                            enumerate((self.view, self.speakers_view, self.organisations_view))}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)
        layout.addLayout(foot)

        self.add_claim = ShortcutClaim(QKeySequence("Ctrl+N"), self._on_add_claim_activated, self)
        self.add_claim.watch([w for w in self.findChildren(QWidget)
                              if w.focusPolicy() != Qt.FocusPolicy.NoFocus])
        self.setStyleSheet(VIEW_SWITCH_STYLE)
        self._update_actions()

    # -- building -----------------------------------------------------------------------------

    def _make_action(self, text: str, slot: Callable[[], None], tip: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _key_action(self, key: QKeySequence.StandardKey, target: QAction) -> QAction:
        """A key on one view that triggers ``target`` (only while that view has the focus)."""
        action = QAction(target.text(), self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(target.trigger)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        button.setDefaultAction(action)
        button.setObjectName("actionButton")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _table(self, name: str, model: RowTableModel | PeopleModel) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        configure_table(view, model)  # type: ignore[arg-type]  # it reads the model's columns only
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_view_custom_context_menu_requested)
        view.activated.connect(self._on_view_activated)
        selection = view.selectionModel()
        selection.selectionChanged.connect(self._on_selection_changed)
        return view

    # -- public -----------------------------------------------------------------------------

    def show_event(self, database: Database, detail: EventDetail, lang: str) -> None:
        """Show the roster, the event's speakers and the organisations in ``lang``. The same
        event again (after an edit, or another workstation's change) is read again in place:
        the view on show keeps its selection and scroll position."""
        same = (database is self._database and self._detail is not None
                and detail.summary.id == self._detail.summary.id and lang == self._lang)
        kept = self._kept() if same else None
        self._database, self._detail, self._lang = database, detail, lang
        self._stale = {ROSTER, SPEAKERS, ORGANISATIONS}
        self._load(self.current_view())
        if kept is not None:
            self._restore(kept)

    def current_view(self) -> int:
        return self.views.currentIndex()

    def show_view(self, index: int) -> None:
        self.view_buttons.button(index).setChecked(True)

    @property
    def undo_stack(self) -> QUndoStack:
        """The window's undo stack (Edit → Undo); the page's own when it stands alone."""
        return self._edits().stack

    def selected_people(self) -> list[int]:
        """Ids of the selected people (roster or speakers view), in the order shown."""
        if self.current_view() == SPEAKERS:
            rows = sorted({ix.row() for ix in self.speakers_view.selectionModel().selectedRows()})
            ids: list[int] = []
            for r in rows:
                pid = self.speakers_model.row_at(r).person_id
                if pid not in ids:
                    ids.append(pid)
            return ids
        if self.current_view() != ROSTER:
            return []
        return self.model.ids_of(sorted(ix.row() for ix in self.view.selectionModel().selectedRows()))

    def selected_organisation(self) -> OrganisationRow | None:
        rows = self.organisations_view.selectionModel().selectedRows()
        return self.organisations_model.row_at(rows[0].row()) if rows else None

    def select_person(self, person_id: int) -> bool:
        """Select and show the person in the roster view; False when not listed."""
        row = self.model.row_of(person_id)
        if row < 0:
            return False
        self._select_row(self.view, row)
        return True

    def select_organisation(self, organisation_id: int) -> bool:
        return self._select(self.organisations_view, self.organisations_model, lambda r: r.id == organisation_id)

    # -- in place -------------------------------------------------------------------------

    def _row_key(self, view: int, row: int) -> object:
        """What a row of ``view`` shows, as found again after a reload: a person's id, a
        part's role id, an organisation's id."""
        if view == ROSTER:
            found = self.model.row_at(row)
            return found.id if found is not None else None
        if view == SPEAKERS:
            return self.speakers_model.row_at(row).role_id
        return self.organisations_model.row_at(row).id

    def _row_of_key(self, view: int, key: object) -> int:
        if view == ROSTER:
            return self.model.row_of(key) if isinstance(key, int) else -1
        model = self.speakers_model if view == SPEAKERS else self.organisations_model
        attribute = "role_id" if view == SPEAKERS else "id"
        return next((r for r in range(model.rowCount()) if getattr(model.row_at(r), attribute) == key), -1)

    def _kept(self) -> tuple[int, list[object], object, int, int]:
        """The view on show, its selected rows' keys, its current row's key and its scroll
        position — what ``_restore`` puts back after the view was read again."""
        view = self.current_view()
        table = self._views()[view]
        rows = sorted({ix.row() for ix in table.selectionModel().selectedRows()})
        current = table.currentIndex()
        return (view, [self._row_key(view, r) for r in rows],
                self._row_key(view, current.row()) if current.isValid() else None,
                table.verticalScrollBar().value(), table.horizontalScrollBar().value())

    def _restore(self, kept: tuple[int, list[object], object, int, int]) -> None:
        view, keys, current, vertical, horizontal = kept
        if view != self.current_view():
            return
        table = self._views()[view]
        model = table.model()
        selection = QItemSelection()
        for key in keys:
            row = self._row_of_key(view, key)
            if row >= 0:
                selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
        chooser = table.selectionModel()
        chooser.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        row = self._row_of_key(view, current) if current is not None else -1
        if row >= 0:
            chooser.setCurrentIndex(model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        table.verticalScrollBar().setValue(vertical)
        table.horizontalScrollBar().setValue(horizontal)
        self._update_actions()

    def _views(self) -> tuple[QTableView, QTableView, QTableView]:
        return self.view, self.speakers_view, self.organisations_view

    # -- loading and filtering ------------------------------------------------------------

    def _load(self, view: int) -> None:
        if self._database is None or self._detail is None or view not in self._stale:
            return
        with self._database.read() as session:
            if view == ROSTER:
                pass  # the model reads its windows itself (below)
            elif view == SPEAKERS:
                rows = speakers(session, self._detail.summary.id, self._lang)
                self._all_speakers = [
                    (search_fold(f"{r.name} {r.organisation} {r.place()} {r.room}"), r) for r in rows]
                self.speakers_model.set_multi_day(self._detail.summary.starts_on != self._detail.summary.ends_on)
            else:
                self._all_organisations = organisation_rows(session, self._lang)
        if view == ROSTER:
            self.model.set_source(self._database, self._detail.summary.id, self._lang)
        self._stale.discard(view)
        self._last_filter.pop(view, None)
        self._filter(view)

    def _filter(self, view: int) -> None:
        query = " ".join(search_terms(self.search.text()))
        terms = query.split()
        # Typing on narrows what the last keystroke found: filter those rows, not all of them.
        last_query, last_rows = self._last_filter.get(view, ("", None))
        narrowing = last_rows is not None and bool(last_query) and query.startswith(last_query)
        if view == ROSTER:
            self.search_timer.stop()
            self.model.set_search(self.search.text())  # searched and sorted by the database
            if self.model.busy:
                return  # the rest once the model has loaded (``_on_model_loaded``)
        elif view == SPEAKERS:
            on_stage = cast(list[tuple[str, SpeakerRow]], last_rows) if narrowing else self._all_speakers
            shown_speakers = [pair for pair in on_stage if matches(pair[0], terms)]
            self._last_filter[view] = (query, shown_speakers)
            self.speakers_model.set_rows([r for _, r in shown_speakers])
        else:
            organisations = cast(list[OrganisationRow], last_rows) if narrowing else self._all_organisations
            shown_orgs = [r for r in organisations if matches(r.search_text, terms)] if terms else organisations
            self._last_filter[view] = (query, shown_orgs)
            self.organisations_model.set_rows(shown_orgs)
        self._update_note(view, query)
        self._update_count()
        self._update_actions()

    def _on_model_loaded(self) -> None:
        """The roster shows a new search or order (read at once, or come from the thread)."""
        if self.current_view() != ROSTER:
            return
        self._update_note(ROSTER, " ".join(search_terms(self.model.search_text)))
        self._update_count()
        self._update_actions()

    def _update_note(self, view: int, query: str) -> None:
        """Say why ``view`` is empty: the search found nothing, or there is nothing yet; and
        what the roster's search also read the text as."""
        model = (self.model, self.speakers_model, self.organisations_model)[view]
        total = (self.model.everyone, len(self._all_speakers), len(self._all_organisations))[view]
        typed = self.model.search_text if view == ROSTER else self.search.text()
        if model.rowCount():
            note = ""
        elif total and query:
            note = f"{no_matches(typed)}\n{_(CLEAR_SEARCH)}"
        else:
            note = _(NOTHING_YET[view])
        self.empty_notes[view].say(note)
        meant = " · ".join(found.said for found in self.model.also_found) if view == ROSTER else ""
        self.meant_label.setText(meant)
        self.meant_label.setToolTip(meant)

    def _update_count(self) -> None:
        view = self.current_view()
        if view == ROSTER:
            total, shown = self.model.everyone, self.model.rowCount()
            text = n_("{n} person in the roster", "{n} people in the roster", total).format(n=formats.number(total))
        elif view == SPEAKERS:
            total, shown = len(self._all_speakers), self.speakers_model.rowCount()
            people = len({row.person_id for _search, row in self._all_speakers})
            # Translators: {roles} is "5 roles" (the message before), {n} a number of people.
            text = n_("{roles} · {n} person on stage in this event", "{roles} · {n} people on stage in this event",
                      people).format(roles=n_("{n} role", "{n} roles", total).format(n=formats.number(total)),
                                     n=formats.number(people))
        else:
            total, shown = len(self._all_organisations), self.organisations_model.rowCount()
            text = n_("{n} organisation", "{n} organisations", total).format(n=formats.number(total))
        if shown != total:
            # Translators: {count} is the count of the whole list ("120 people in the roster").
            text = n_("{n} shown · {count}", "{n} shown · {count}", shown).format(n=formats.number(shown), count=text)
        self.count_label.setText(text)

    def _select(self, view: QTableView, model: RowTableModel, wanted: Callable[[Any], bool]) -> bool:
        for row in range(model.rowCount()):
            if wanted(model.row_at(row)):
                self._select_row(view, row)
                return True
        return False

    @staticmethod
    def _select_row(view: QTableView, row: int) -> None:
        index = view.model().index(row, 0)
        view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _show_selected(self, ref: RowRef) -> None:
        """Select the person or organisation ``ref`` names (found by uuid: an undo may have
        put it back under another id) when the view on show lists it."""
        if self._database is None:
            return
        select = {("person", ROSTER): self.select_person,
                  ("organisation", ORGANISATIONS): self.select_organisation}.get((ref.table, self.current_view()))
        if select is None:
            return
        with self._database.read() as session:
            found = id_for_uuid(session, ref.table, ref.uuid)
        if found is None:
            return
        if not select(found) and self.search.text():
            self.search.clear()  # the filter hides it: show everything
            select(found)

    def _update_actions(self) -> None:
        view = self.current_view()
        people = self.selected_people()
        has_data = self._database is not None
        self.add_person_action.setEnabled(has_data)
        self.edit_person_action.setEnabled(len(people) == 1)
        self.delete_person_action.setEnabled(view == ROSTER and len(people) == 1)
        self.merge_action.setEnabled(view == ROSTER and len(people) == 2)
        organisation = self.selected_organisation() if view == ORGANISATIONS else None
        self.add_organisation_action.setEnabled(has_data)
        self.edit_organisation_action.setEnabled(organisation is not None)
        self.delete_organisation_action.setEnabled(organisation is not None)
        self.hint_label.setText(_(HINTS[view]))
        self.person_buttons.setVisible(view != ORGANISATIONS)
        self.organisation_buttons.setVisible(view == ORGANISATIONS)
        self.merge_action.setVisible(view == ROSTER)
        self.delete_person_action.setVisible(view == ROSTER)

    # -- edits ---------------------------------------------------------------------------------

    def _edits(self) -> Edits:
        """The window's edits; outside a window, the page's own (and the page listens)."""
        return edits_of(self, self._on_own_edits_data_changed)

    def _push(self, edit: Edit) -> bool:
        """Make ``edit`` and put it on the undo stack; False when it failed (the user is told)."""
        if self._database is None:
            return False
        return self._edits().run(edit, self._database, origin=self) is not None

    def _ref(self, table: str, row_id: int | None) -> RowRef | None:
        """A ``RowRef`` of a row on show (None when there is none, or it is gone)."""
        if row_id is None or self._database is None:
            return None
        try:
            with self._database.read() as session:
                return ref_of(session, table, row_id)
        except (LookupError, SQLAlchemyError):
            return None

    def _selected_ref(self) -> RowRef | None:
        """What is selected now, as an edit remembers it (selected again after its undo)."""
        if self.current_view() == ORGANISATIONS:
            row = self.selected_organisation()
            return self._ref("organisation", row.id if row is not None else None)
        people = self.selected_people()
        return self._ref("person", people[0] if people else None)

    def on_data_changed(self, changed: Changed) -> None:
        """After an edit, undo or redo (the window has read again what it touched): select
        what it was about, or after an undo what was selected when it was made."""
        if isinstance(changed.select, RowRef):
            self._show_selected(changed.select)

    def _on_own_edits_data_changed(self, changed: Changed) -> None:
        """Outside a window: read again, then select."""
        if not changed.tables & self.TABLES:
            return
        self._stale = {ROSTER, SPEAKERS, ORGANISATIONS}
        self._load(self.current_view())
        self.on_data_changed(changed)

    # -- slots: views -------------------------------------------------------------------------

    def _on_view_buttons_id_toggled(self, index: int, checked: bool) -> None:
        if not checked:
            return
        self.views.setCurrentIndex(index)
        if index in self._stale:
            self._load(index)
        else:
            self._filter(index)  # the search may have changed in another view
        self._update_count()
        self._update_actions()
        self.view_changed.emit(index)

    def _on_search_text_changed(self, _text: str) -> None:
        if self.current_view() == ROSTER and self.model.in_background:
            self.search_timer.start()  # searched when typing pauses
        else:
            self._filter(self.current_view())

    def _on_search_timer_timeout(self) -> None:
        if self.current_view() == ROSTER:
            self._filter(ROSTER)

    def _on_search_return_pressed(self) -> None:
        view = cast(QTableView, self.views.currentWidget())
        model = view.model()
        if model.rowCount() > 0:
            view.setFocus()
            if not view.selectionModel().hasSelection():
                view.selectionModel().setCurrentIndex(
                    model.index(0, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down from the search field goes into the table; Escape clears the search.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event).key()
            if key == Qt.Key.Key_Down:
                self._on_search_return_pressed()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def _on_find_action_triggered(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_actions()

    def _on_view_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        if self.current_view() == ORGANISATIONS:
            self.edit_organisation_action.trigger()
        else:
            self.edit_person_action.trigger()

    def _on_view_custom_context_menu_requested(self, position: QPoint) -> None:
        view = cast(QTableView, self.views.currentWidget())
        menu = QMenu(self)
        if self.current_view() == ORGANISATIONS:
            actions = [self.add_organisation_action, self.edit_organisation_action,
                       self.delete_organisation_action]
        elif self.current_view() == SPEAKERS:
            actions = [self.add_person_action, self.edit_person_action]
        else:
            actions = [self.add_person_action, self.edit_person_action, self.delete_person_action,
                       None, self.merge_action]
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(view.viewport().mapToGlobal(position))

    def _on_add_claim_activated(self) -> None:
        if self.current_view() == ORGANISATIONS:
            self.add_organisation_action.trigger()
        else:
            self.add_person_action.trigger()

    # -- slots: people ----------------------------------------------------------------------

    def _open_person_dialog(self, person_id: int | None) -> None:
        if self._database is None:
            return
        try:
            dialog = PersonDialog(self._database, self._lang, person_id, self)
        except (LookupError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, _("Cannot open the person"), str(exc))
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save.make = self._save_person_dialog  # on Save, before it closes
        dialog.finished.connect(self._on_person_dialog_finished)
        self.person_dialog = dialog
        self._dialog_person_id = person_id
        dialog.open()

    def _on_add_person_action_triggered(self) -> None:
        self._open_person_dialog(None)

    def _on_edit_person_action_triggered(self) -> None:
        people = self.selected_people()
        if len(people) == 1:
            self._open_person_dialog(people[0])

    def _save_person_dialog(self) -> bool:
        """The person dialog's Save, made while it is open: whether it landed (the dialog
        closes then; after a Cancel at "which value to keep?" or a refusal it stays open)."""
        dialog = self.person_dialog
        if dialog is None or self._database is None:
            return False
        data, new_org = dialog.person_data(), dialog.new_organisation()
        if self._dialog_person_id is None:
            return self._push(commands.add_person(data, new_org, self._selected_ref()))
        return self._push(commands.edit_person(self._dialog_person_id, data, new_org,
                                               self._ref("person", self._dialog_person_id), base=dialog.base))

    def _on_person_dialog_finished(self, _result: int) -> None:
        self.person_dialog = None

    def _on_delete_person_action_triggered(self) -> None:
        people = self.selected_people()
        if len(people) != 1 or self._database is None:
            return
        try:
            with self._database.read() as session:
                impact = deletion_impact(session, people[0], self._lang)
        except (LookupError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, _("Cannot delete"), str(exc))
            return
        # Translators: {name} is the person's name, in bold.
        question = "<p>{}</p>".format(_("Delete {name} from the roster?").format(
            name=f"<b>{html.escape(impact.name)}</b>"))
        if not impact.is_empty:
            lines = impact.lines(self._lang)
            shown = "".join(f"<li>{html.escape(line)}</li>" for line in lines[:MAX_LISTED])
            if len(lines) > MAX_LISTED:
                more = len(lines) - MAX_LISTED
                shown += "<li>{}</li>".format(html.escape(n_("… and {n} more", "… and {n} more", more).format(
                    n=formats.number(more))))
            undo = _("Edit → Undo brings them all back.")
            question += f"<p>{html.escape(impact.summary())}</p><ul>{shown}</ul><p>{html.escape(undo)}</p>"
        answer = QMessageBox.question(
            self, _("Delete person"), question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._push(commands.delete_person(people[0], impact.name, self._ref("person", people[0])))

    def _on_merge_action_triggered(self) -> None:
        people = self.selected_people()
        if len(people) != 2 or self._database is None:
            return
        first, second = people
        # Keep by default the record with more history (events), else the older one.
        try:
            with self._database.read_raw() as reader:
                counts = registrations_of(reader, people)
        except SQLAlchemyError:
            counts = {}
        keep_first = (counts.get(first, 0), -first) >= (counts.get(second, 0), -second)
        try:
            dialog = MergeDialog(self._database, first, second, self._lang, keep_first, self)
        except (ValueError, LookupError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, _("Cannot merge"), str(exc))
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_merge_dialog_accepted)
        dialog.finished.connect(self._on_merge_dialog_finished)
        self.merge_dialog = dialog
        dialog.open()

    def _on_merge_dialog_accepted(self) -> None:
        dialog = self.merge_dialog
        if dialog is None or self._database is None:
            return
        plan = dialog.plan()
        self._push(commands.merge_people(plan.keep_id, plan.drop_id, plan.keep_name, plan.drop_name,
                                         self._ref("person", plan.keep_id)))

    def _on_merge_dialog_finished(self, _result: int) -> None:
        self.merge_dialog = None

    # -- slots: organisations ------------------------------------------------------------------

    def _open_organisation_dialog(self, organisation_id: int | None) -> None:
        if self._database is None:
            return
        try:
            dialog = OrganisationDialog(self._database, organisation_id, self)
        except (LookupError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, _("Cannot open the organisation"), str(exc))
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save.make = self._save_organisation_dialog  # on Save, before it closes
        dialog.finished.connect(self._on_organisation_dialog_finished)
        self.organisation_dialog = dialog
        self._dialog_organisation_id = organisation_id
        dialog.open()

    def _on_add_organisation_action_triggered(self) -> None:
        self._open_organisation_dialog(None)

    def _on_edit_organisation_action_triggered(self) -> None:
        row = self.selected_organisation()
        if row is not None:
            self._open_organisation_dialog(row.id)

    def _save_organisation_dialog(self) -> bool:
        """The organisation dialog's Save, made while it is open: whether it landed."""
        dialog = self.organisation_dialog
        if dialog is None or self._database is None:
            return False
        data = dialog.organisation_data()
        if self._dialog_organisation_id is None:
            return self._push(commands.add_organisation(data, self._selected_ref()))
        return self._push(commands.edit_organisation(self._dialog_organisation_id, data,
                                                     self._ref("organisation", self._dialog_organisation_id),
                                                     base=dialog.base))

    def _on_organisation_dialog_finished(self, _result: int) -> None:
        self.organisation_dialog = None

    def _on_delete_organisation_action_triggered(self) -> None:
        row = self.selected_organisation()
        if row is None or self._database is None:
            return
        try:
            with self._database.read() as session:
                usage = organisation_usage(session, row.id, self._lang)
        except (LookupError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, _("Cannot delete"), str(exc))
            return
        if usage.events:
            QMessageBox.information(self, _("Cannot delete the organisation"), usage.sentence(self._lang))
            return
        # Translators: {name} is the organisation's name.
        question = p_("organisation", "Delete {name}?").format(name=usage.name)
        if usage.people:
            question = f"{usage.sentence(self._lang)}\n\n{question}"
        answer = QMessageBox.question(
            self, _("Delete organisation"), question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._push(commands.delete_organisation(row.id, usage.name, self._ref("organisation", row.id)))


VIEW_SWITCH_STYLE = f"""
QToolButton#viewButton {{
    border: 1px solid {style.LINE}; background: {style.SURFACE}; color: {style.INK};
    padding: 5px 14px; margin: 0;
}}
QToolButton#viewButton:checked {{ background: {style.ACCENT}; color: white; border-color: {style.ACCENT}; }}
QToolButton#viewButton:hover:!checked {{ background: {style.ACCENT_SOFT}; }}
QToolButton#actionButton {{
    border: 1px solid {style.LINE}; border-radius: 4px; background: {style.SURFACE}; color: {style.INK};
    padding: 5px 12px;
}}
QToolButton#actionButton:hover {{ background: {style.ACCENT_SOFT}; }}
QToolButton#actionButton:disabled {{ color: {style.FAINT}; }}
QLabel#searchMeant {{ color: {style.MUTED}; }}
"""


__all__ = ["PeoplePage", "PeopleModel", "SpeakersModel", "ROSTER", "SPEAKERS", "ORGANISATIONS"]
