"""Dialogs of the agenda editor: a session, an agenda item, a person from the roster, and
the minutes of "Shift from here".

The dialogs edit values; the page turns their result into an undo command, which the
session and item dialogs make on Save while still open (``save``, ``desktop.ui.shell.saving``):
they close once it landed, and stay open with the user's input after a Cancel at "which
value to keep?" or a refused save. The same for a person added from the picker. Errors
(``desktop.core.agenda_edit.validate_session``/``validate_item``) frame the field in red and
are listed under the form once the user has touched the field or tried to save (a new
session is not scolded for its empty title before anything is typed); Save stays disabled
until there are none, and its tooltip says what is missing. Missing translations are
flagged in amber (the printed programme falls back to another language) but do not stop
saving. Moving the start moves the end with it: the length stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTime, QTimer
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from db.models import ItemKind, RoleKind
from db.types import LANGUAGES
from desktop.core import formats, vocabulary
from desktop.core.agenda_edit import (
    DESCRIPTION_MAX,
    SESSION_ROLES,
    TITLE_MAX,
    AgendaContext,
    ItemData,
    OnStageRole,
    SessionData,
    validate_item,
    validate_session,
)
from desktop.core.checks import Report
from desktop.core.errors import error_sentence
from desktop.core.language import _, n_, p_
from desktop.core.registration_edit import PersonChoice, find_people
from desktop.core.row_news import RowMark
from desktop.ui.shell import style
from desktop.ui.shell.commands import Edits, edits_of
from desktop.ui.shell.fields import FIELD_STYLE, LocalTextGrid, mark_invalid
from desktop.ui.shell.row_notice import RowNotice
from desktop.ui.shell.saving import SaveInside
from desktop.ui.shell.touched import TouchedFields, save_tooltip

SEARCH_DELAY_MS = 200
ROSTER_LIMIT = 100
STEP_MINUTES = 5
LAST_MINUTE = 23 * 60 + 59
SESSION_COLOURS = ("#2f5d9b", "#2e7d4f", "#8e44ad", "#b9770e", "#c0392b", "#117a8b", "#5d6d7e")


@dataclass(frozen=True)
class Choice:
    """A room or a session the dialogs offer: its id and how it reads."""

    id: int
    label: str


@dataclass(frozen=True)
class Cast:
    """Someone on stage as the dialog lists them."""

    person_id: int
    name: str
    organisation: str
    kind: RoleKind


# -- small widgets -----------------------------------------------------------------------------


class StepTimeEdit(QTimeEdit):
    """A time of day, "HH:mm", whose arrows and wheel step by five minutes; a time typed
    off the grid is kept as typed.

    A click that gives it the focus selects the hours, as Tab does: typing "10:30" then
    gives 10:30. (Qt leaves the cursor where the click fell, and typing into the minutes
    gave "16:30".) A drag still selects what it covers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.setKeyboardTracking(False)
        self.setWrapping(False)
        self._select_on_release = False
        line = self.lineEdit()
        assert line is not None
        line.installEventFilter(self)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._select_on_release = event.reason() == Qt.FocusReason.MouseFocusReason

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and self._select_on_release:
            self._select_on_release = False
            line = self.lineEdit()
            if watched is line and line is not None and not line.hasSelectedText():
                self.setSelectedSection(QTimeEdit.Section.HourSection)
        return super().eventFilter(watched, event)

    def stepBy(self, steps: int) -> None:
        if self.currentSection() == QTimeEdit.Section.HourSection:
            super().stepBy(steps)
            return
        minutes = self.time().hour() * 60 + self.time().minute()
        snapped = (minutes // STEP_MINUTES) * STEP_MINUTES
        if steps > 0 or snapped == minutes:
            snapped += steps * STEP_MINUTES
        else:
            snapped += (steps + 1) * STEP_MINUTES
        snapped = max(0, min(snapped, 23 * 60 + 55))
        self.setTime(QTime(snapped // 60, snapped % 60))


class TitleGrid(LocalTextGrid):
    """Per-language texts whose flags say what the printed programme does about a gap."""

    def _update_flags(self, key: str) -> None:
        super()._update_flags(key)
        texts = self.value(key)
        for lang in self.missing(key):
            shown = next((o for o in (*LANGUAGES, *texts) if o in texts), None)
            if shown is None:
                # Translators: {language} is a language's name ("Kazakh").
                tip = _("No {language} text yet: the printed programme falls back to another language here, "
                        "and the window shows it in italics.").format(language=vocabulary.language(lang))
            else:
                # Translators: {language} and {other} are languages' names ("Kazakh", "English").
                tip = _("No {language} text yet: the printed programme falls back to the {other} text here, "
                        "and the window shows it in italics.").format(language=vocabulary.language(lang),
                                                                       other=vocabulary.language(shown))
            self.edit(key, lang).setToolTip(tip)


def colour_swatch(colour: str | None, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour) if colour else Qt.GlobalColor.transparent)
    return QIcon(pixmap)


# -- the roster picker -------------------------------------------------------------------------


class PersonPicker(QDialog):
    """Search the roster and choose one or more people (Enter or double-click chooses).

    With the window's ``Edits``, "New person…" adds someone who is not in the roster yet
    (the People section's dialog and edit, one step on the undo stack) and chooses them.
    ``person_dialog`` is that dialog while it is open."""

    def __init__(self, database: Database, event_id: int, lang: str, parent: QWidget | None = None,
                 exclude: Sequence[int] = (), edits: Edits | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add from the roster"))
        self.setObjectName("personPicker")
        self._database = database
        self._event_id = event_id
        self._lang = lang
        self._exclude = set(exclude)
        self._edits = edits
        self.person_dialog: QDialog | None = None
        self._added: tuple[int, str] | None = None  # the person the dialog added: id, name
        self.search = QLineEdit()
        self.search.setObjectName("pickerSearch")
        self.search.setPlaceholderText(_("Type a name, organisation or e-mail"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.people = QTreeWidget()
        self.people.setObjectName("pickerList")
        self.people.setRootIsDecorated(False)
        self.people.setUniformRowHeights(True)
        self.people.setAlternatingRowColors(True)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.people.setHeaderLabels([p_("person", "Name"), _("Organisation"), _("E-mail")])
        self.people.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.people.header().resizeSection(0, 220)
        self.people.itemDoubleClicked.connect(self._on_people_item_double_clicked)
        self.people.itemSelectionChanged.connect(self._on_people_item_selection_changed)
        self.note = QLabel()
        self.note.setStyleSheet(f"color: {style.MUTED};")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText(p_("button", "Add"))
        self.new_button = self.buttons.addButton(_("&New person…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.new_button.setObjectName("newPersonButton")
        self.new_button.setToolTip(_("Add someone who is not in the roster yet, and choose them"))
        self.new_button.setAutoDefault(False)
        self.new_button.setVisible(edits is not None)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search_roster)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.people, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.resize(620, 440)
        self._search_roster()

    def chosen(self) -> list[PersonChoice]:
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in self.people.selectedItems()]

    def _search_roster(self) -> None:
        self._timer.stop()
        try:
            with self._database.read() as session:
                found = find_people(session, self.search.text(), None, limit=ROSTER_LIMIT, lang=self._lang)
        except SQLAlchemyError as exc:
            # Translators: {reason} is one sentence saying what went wrong.
            self.note.setText(_("Cannot search the roster: {reason}").format(reason=error_sentence(exc)))
            return
        self.people.clear()
        for person in found:
            item = QTreeWidgetItem([person.name, person.organisation, person.email])
            item.setData(0, Qt.ItemDataRole.UserRole, person)
            if person.id in self._exclude:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(0, _("On the list already"))
                for column in range(3):
                    item.setForeground(column, QColor(style.FAINT))
            self.people.addTopLevelItem(item)
        first = next((self.people.topLevelItem(i) for i in range(self.people.topLevelItemCount())
                      if self.people.topLevelItem(i).flags() & Qt.ItemFlag.ItemIsSelectable), None)
        if first is not None:
            self.people.setCurrentItem(first)
        self.note.setText(_("The first {n} matches: type more to narrow them.").format(n=ROSTER_LIMIT)
                          if len(found) == ROSTER_LIMIT else
                          (_("Nobody in the roster matches: add them with New person…") if self._edits is not None
                           else _("Nobody in the roster matches: add people in the People section."))
                          if not found else "")
        self._on_people_item_selection_changed()

    def choose(self, person_id: int) -> bool:
        """Select ``person_id`` in the list; False when the list does not show them."""
        for row in range(self.people.topLevelItemCount()):
            item = self.people.topLevelItem(row)
            if item.data(0, Qt.ItemDataRole.UserRole).id == person_id:
                self.people.clearSelection()
                self.people.setCurrentItem(item)
                item.setSelected(True)
                return True
        return False

    def _on_new_button_clicked(self) -> None:
        from desktop.ui.people.person_dialog import PersonDialog  # the People section's dialog, shared

        dialog = PersonDialog(self._database, self._lang, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save.make = self._save_person_dialog  # on Save, before it closes
        dialog.finished.connect(self._on_person_dialog_finished)
        self.person_dialog = dialog
        dialog.open()

    def _on_person_dialog_finished(self, result: int) -> None:
        self.person_dialog = None
        if result == QDialog.DialogCode.Accepted and self._added is not None:
            added, self._added = self._added, None
            self.search.setText(added[1])
            self._search_roster()
            if self.choose(added[0]):
                self.accept()

    def _save_person_dialog(self) -> bool:
        """The new person's Save, made while their dialog is open: whether it landed."""
        from desktop.ui.people import commands  # the People section's edit, shared

        dialog = self.person_dialog
        if dialog is None or self._edits is None:
            return False
        data = dialog.person_data()  # type: ignore[attr-defined]
        edit = commands.add_person(data, dialog.new_organisation())  # type: ignore[attr-defined]
        change = self._edits.run(edit, self._database)
        if change is None:
            return False  # the window has told the user why, or the user cancelled
        if change.subject is not None:
            self._added = (change.subject.id, data.name())
        return True

    def _on_search_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_people_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsSelectable:
            self.accept()

    def _on_people_item_selection_changed(self) -> None:
        self.add_button.setEnabled(bool(self.people.selectedItems()))


# -- the people on stage -----------------------------------------------------------------------


class CastEditor(QWidget):
    """People in roles, in order: Add… (from the roster), Remove, Up, Down; a role combo on
    each row (hidden for a session, whose people all moderate or chair it)."""

    def __init__(self, database: Database, event_id: int, lang: str, roles: Sequence[RoleKind],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._event_id = event_id
        self._lang = lang
        self._roles = tuple(roles)
        self.picker: PersonPicker | None = None
        # Where "New person…" in the picker makes its edit (the window's; None: no such button).
        self.edits: Edits | None = None
        # The role of someone added (the item dialog follows its kind: a panel's are panellists).
        self.default_role: RoleKind = self._roles[0]
        self.list = QTreeWidget()
        self.list.setObjectName("castList")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([p_("person", "Name"), _("Organisation"), p_("on stage", "Role")])
        self.list.setColumnHidden(2, len(self._roles) < 2)
        self.list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.list.header().resizeSection(0, 200)
        self.list.header().resizeSection(2, 140)
        self.list.setMinimumHeight(110)
        self.list.itemSelectionChanged.connect(self._on_list_item_selection_changed)
        self.add_button = QPushButton(p_("button", "Add…"))
        self.add_button.setToolTip(_("Add people from the roster"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button = QPushButton(p_("button", "Remove"))
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.up_button = QPushButton(p_("button", "Up"))
        self.up_button.setToolTip(_("Earlier in the list") + " (Alt+Up)")
        self.up_button.clicked.connect(self._on_up_button_clicked)
        self.down_button = QPushButton(p_("button", "Down"))
        self.down_button.setToolTip(_("Later in the list") + " (Alt+Down)")
        self.down_button.clicked.connect(self._on_down_button_clicked)
        for key, slot in (("Alt+Up", self._on_up_button_clicked), ("Alt+Down", self._on_down_button_clicked),
                          ("Del", self._on_remove_button_clicked)):
            shortcut = QShortcut(QKeySequence(key), self.list, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._on_list_item_selection_changed()

    def set_cast(self, cast: Sequence[Cast]) -> None:
        self.list.clear()
        for member in cast:
            self._append(member)
        self._on_list_item_selection_changed()

    def cast(self) -> list[Cast]:
        out = []
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            member: Cast = item.data(0, Qt.ItemDataRole.UserRole)
            combo = self.list.itemWidget(item, 2)
            kind = combo.currentData() if isinstance(combo, QComboBox) else member.kind
            out.append(Cast(member.person_id, member.name, member.organisation, RoleKind(kind)))
        return out

    def roles(self) -> tuple[OnStageRole, ...]:
        return tuple(OnStageRole(m.person_id, m.kind) for m in self.cast())

    def add_people(self, people: Sequence[PersonChoice], kind: RoleKind | None = None) -> None:
        role = kind or self.default_role
        for person in people:
            self._append(Cast(person.id, person.name, person.organisation, role))
        if people:
            self.list.setCurrentItem(self.list.topLevelItem(self.list.topLevelItemCount() - 1))

    def _append(self, member: Cast) -> None:
        item = QTreeWidgetItem([member.name, member.organisation, ""])
        item.setData(0, Qt.ItemDataRole.UserRole, member)
        item.setToolTip(0, member.name)
        item.setToolTip(1, member.organisation)
        self.list.addTopLevelItem(item)
        self._add_combo(item, member.kind)

    def _add_combo(self, item: QTreeWidgetItem, kind: RoleKind) -> None:
        if len(self._roles) < 2:
            return
        combo = QComboBox()
        for role in self._roles:
            combo.addItem(vocabulary.role(role), role)
        combo.setCurrentIndex(max(0, combo.findData(kind)))
        combo.setAccessibleName(p_("on stage", "Role"))
        self.list.setItemWidget(item, 2, combo)

    def _move(self, offset: int) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        row = self.list.indexOfTopLevelItem(item)
        target = row + offset
        if not 0 <= target < self.list.topLevelItemCount():
            return
        combo = self.list.itemWidget(item, 2)
        kind = combo.currentData() if isinstance(combo, QComboBox) else item.data(0, Qt.ItemDataRole.UserRole).kind
        self.list.takeTopLevelItem(row)
        self.list.insertTopLevelItem(target, item)
        self._add_combo(item, RoleKind(kind))
        self.list.setCurrentItem(item)

    def _on_add_button_clicked(self) -> None:
        exclude = [m.person_id for m in self.cast()] if len(self._roles) < 2 else []
        self.picker = PersonPicker(self._database, self._event_id, self._lang, self, exclude, self.edits)
        self.picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.picker.finished.connect(self._on_picker_finished)
        self.picker.open()

    def _on_picker_finished(self, result: int) -> None:
        picker, self.picker = self.picker, None
        if picker is not None and result == QDialog.DialogCode.Accepted:
            self.add_people(picker.chosen())
        self._on_list_item_selection_changed()

    def _on_remove_button_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.takeTopLevelItem(self.list.indexOfTopLevelItem(item))
        self._on_list_item_selection_changed()

    def _on_up_button_clicked(self) -> None:
        self._move(-1)

    def _on_down_button_clicked(self) -> None:
        self._move(1)

    def _on_list_item_selection_changed(self) -> None:
        item = self.list.currentItem()
        row = self.list.indexOfTopLevelItem(item) if item is not None else -1
        self.remove_button.setEnabled(item is not None)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.topLevelItemCount() - 1)


# -- session and item ------------------------------------------------------------------------


class _EntryDialog(QDialog):
    """What the session and the item dialogs share: titles, times on the day, room, people,
    the list of problems and Save."""

    WHAT = "entry"

    def __init__(self, database: Database, event_id: int, lang: str, day: dt.date, rooms: Sequence[Choice],
                 roles: Sequence[RoleKind], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._day = day
        self._rooms = list(rooms)
        self.setStyleSheet(FIELD_STYLE)
        self.row_notice = RowNotice()  # another workstation's change to the entry, while open (watch_row)
        self.save = SaveInside()  # the page's edit, made on Save before the dialog closes
        # A field's error shows once the user touched it or tried to save (see touched.py).
        self.touched = TouchedFields(self)
        self.touched.touched.connect(self._on_anything_changed)
        self.titles = TitleGrid()
        self.titles.add_row("title", p_("field", "Title"), max_length=TITLE_MAX)
        self.titles.changed.connect(self._on_anything_changed)
        for code in LANGUAGES:  # not ``lang``: that is the language the dialog shows names in
            edit = self.titles.edit("title", code)
            self.touched.watch(edit, "title", f"title.{code}")
            edit.textChanged.connect(self._on_title_text_changed)
        self.starts = StepTimeEdit()
        self.starts.setObjectName("startsAt")
        self.starts.setAccessibleName(_("Starts"))
        self.ends = StepTimeEdit()
        self.ends.setObjectName("endsAt")
        self.ends.setAccessibleName(_("Ends"))
        self.starts.timeChanged.connect(self._on_starts_time_changed)
        self.ends.timeChanged.connect(self._on_ends_time_changed)
        for edit in (self.starts, self.ends):
            self.touched.watch(edit, "ends_at")
        self.length_label = QLabel()
        self.length_label.setObjectName("hint")
        times = QHBoxLayout()
        times.addWidget(self.starts)
        times.addWidget(QLabel("–"))
        times.addWidget(self.ends)
        times.addSpacing(8)
        times.addWidget(self.length_label)
        times.addStretch(1)
        self.room = QComboBox()
        self.room.setObjectName("roomBox")
        self.cast = CastEditor(database, event_id, lang, roles)
        self.cast.edits = edits_of(parent) if parent is not None else None  # the agenda page's: the window's
        self.problem = QLabel()
        self.problem.setObjectName("problemText")
        self.problem.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setObjectName("warningText")
        self.warning.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("primaryButton")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._times_row = times
        self._shifting_end = True   # False while the dialog sets the times itself
        self._start_minutes = 10 * 60  # the start as it was before the user moved it

    @staticmethod
    def _label(caption: str, buddy: QWidget) -> QLabel:
        label = QLabel(caption)
        label.setBuddy(buddy)
        return label

    def _finish_layout(self, people_caption: str) -> None:
        # The form's labels right-aligned in one column with the titles' captions above them.
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setHorizontalSpacing(8)
        captions = ((p_("field", "Title"), p_("field", "Description")) if self.WHAT == "item"
                    else (p_("field", "Title"),))
        width = max(self.fontMetrics().horizontalAdvance(c) for c in captions)
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if label is not None:
                label.setMinimumWidth(width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.row_notice)
        layout.addWidget(self.titles)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        caption = QLabel(people_caption)
        caption.setObjectName("sectionCaption")
        layout.addSpacing(6)
        layout.addWidget(caption)
        layout.addWidget(self.cast, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.resize(820, 560)

    def watch_row(self, mark: RowMark | None) -> None:
        """Tell, at the top, when another workstation changes the entry edited (``mark``:
        read with the dialog's values)."""
        self.row_notice.watch(self._database, mark, self.parentWidget())

    def _fill_rooms(self, none_label: str, current: int | None) -> None:
        self.room.clear()
        self.room.addItem(none_label, None)
        for room in self._rooms:
            self.room.addItem(room.label, room.id)
        self.room.setCurrentIndex(max(0, self.room.findData(current)) if current is not None else 0)

    def _set_times(self, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
        self._shifting_end = False
        self.starts.setTime(QTime(starts_at.hour, starts_at.minute))
        self.ends.setTime(QTime(ends_at.hour, ends_at.minute) if ends_at.date() == starts_at.date()
                          else QTime(23, 59))
        self._start_minutes = _minutes(self.starts.time())
        self._shifting_end = True

    def _show_all_problems(self, shown: bool) -> None:
        """Editing what is stored: its problems show at once (they are not the user's typing)."""
        if shown:
            self.touched.try_save()

    def starts_at(self) -> dt.datetime:
        t = self.starts.time()
        return dt.datetime.combine(self._day, dt.time(t.hour(), t.minute()))

    def ends_at(self) -> dt.datetime:
        t = self.ends.time()
        return dt.datetime.combine(self._day, dt.time(t.hour(), t.minute()))

    def _context(self) -> AgendaContext:
        return AgendaContext(rooms={r.id: r.label for r in self._rooms},
                             people={m.person_id: m.name for m in self.cast.cast()})

    def _report(self) -> Report:
        raise NotImplementedError

    def _show_report(self) -> Report:
        report = self._report()
        shown = self.touched.shown(report.errors)
        mark_invalid(self.ends, "; ".join(p.message for p in shown if p.field == "ends_at") or None)
        mark_invalid(self.titles.edit("title", "en"),
                     "; ".join(p.message for p in shown if p.field == "title") or None)
        self.problem.setText("\n".join(p.message for p in shown))
        self.problem.setVisible(bool(shown))
        missing = [p.message for p in report.warnings]
        self.warning.setText("\n".join(missing))
        self.warning.setVisible(bool(missing))
        self.save_button.setEnabled(report.is_valid)
        self.save_button.setToolTip(save_tooltip(report.errors))
        minutes = int((self.ends_at() - self.starts_at()).total_seconds() // 60)
        # Translators: a length of time, short: "1 h 15 min"; {minutes} has two digits.
        self.length_label.setText(
            _("{hours} h {minutes} min").format(hours=minutes // 60, minutes=f"{minutes % 60:02d}") if minutes >= 60
            else _("{minutes} min").format(minutes=minutes) if minutes > 0 else "")
        return report

    def accept(self) -> None:
        """Make the edit (``save``) once the values are valid, and close once it landed;
        else stay open as it is."""
        self.touched.try_save()
        if self._show_report().is_valid and self.save.run():
            super().accept()

    def _on_title_text_changed(self, _text: str) -> None:
        self.touched.touch("title")

    def _on_starts_time_changed(self, time: QTime) -> None:
        if self._shifting_end:
            # The user moved the start: the end moves with it, so the length stays.
            shift = _minutes(time) - self._start_minutes
            end = max(0, min(_minutes(self.ends.time()) + shift, LAST_MINUTE))
            self._shifting_end = False
            self.ends.setTime(QTime(end // 60, end % 60))
            self._shifting_end = True
            self.touched.touch("ends_at")
        self._start_minutes = _minutes(time)
        self._on_anything_changed()

    def _on_ends_time_changed(self, _time: QTime) -> None:
        if self._shifting_end:
            self.touched.touch("ends_at")
        self._on_anything_changed()

    def _on_anything_changed(self, *_args: Any) -> None:
        self._show_report()


class SessionDialog(_EntryDialog):
    """A session: titles in English, Russian and Kazakh, its times on the day, its room, a
    colour, and its moderators/chairs in order."""

    WHAT = "session"

    def __init__(self, database: Database, event_id: int, lang: str, day: dt.date, rooms: Sequence[Choice],
                 data: SessionData | None = None, cast: Sequence[Cast] = (), parent: QWidget | None = None,
                 *, is_new: bool = False) -> None:
        super().__init__(database, event_id, lang, day, rooms, SESSION_ROLES, parent)
        self.setWindowTitle(_("New session") if data is None or is_new else _("Edit session"))
        self.setObjectName("sessionDialog")
        self._colour: str | None = None
        self.colour_button = QPushButton()
        self.colour_button.setObjectName("colourButton")
        self.colour_button.clicked.connect(self._on_colour_button_clicked)
        self.no_colour_button = QPushButton(_("No colour"))
        self.no_colour_button.clicked.connect(self._on_no_colour_button_clicked)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour_button)
        colour_row.addWidget(self.no_colour_button)
        colour_row.addStretch(1)
        self.form.addRow(self._label(p_("field", "&Time"), self.starts), self._times_row)
        self.form.addRow(p_("field", "&Room"), self.room)
        self.form.addRow(self._label(p_("field", "&Colour"), self.colour_button), colour_row)
        self._finish_layout(_("Moderators / chairs"))
        self.resize(780, 460)
        data_given = data
        data = data or SessionData({}, dt.datetime.combine(day, dt.time(10)), dt.datetime.combine(day, dt.time(11)))
        self.titles.set_value("title", data.title)
        self._set_times(data.starts_at, data.ends_at)
        self._fill_rooms(_("No room"), data.room_id)
        self._set_colour(data.colour)
        self.cast.set_cast(cast)
        self.room.currentIndexChanged.connect(self._on_anything_changed)
        self.cast.list.model().rowsInserted.connect(self._on_anything_changed)
        self.cast.list.model().rowsRemoved.connect(self._on_anything_changed)
        self._show_all_problems(not (data_given is None or is_new))
        self._show_report()
        self.titles.edit("title", "en").setFocus()

    def data(self) -> SessionData:
        return SessionData(self.titles.value("title"), self.starts_at(), self.ends_at(), self.room.currentData(),
                           self._colour, self.cast.roles())

    def _report(self) -> Report:
        return validate_session(self.data(), self._context())

    def _set_colour(self, colour: str | None) -> None:
        self._colour = colour
        self.colour_button.setIcon(colour_swatch(colour))
        self.colour_button.setText(colour or _("Choose…"))
        self.no_colour_button.setEnabled(colour is not None)

    def _on_colour_button_clicked(self) -> None:
        dialog = QColorDialog(QColor(self._colour or SESSION_COLOURS[0]), self)
        for n, value in enumerate(SESSION_COLOURS):
            QColorDialog.setCustomColor(n, QColor(value))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._set_colour(dialog.selectedColor().name())

    def _on_no_colour_button_clicked(self) -> None:
        self._set_colour(None)


class ItemDialog(_EntryDialog):
    """An agenda item: kind, titles and descriptions in three languages, the session it is
    in (or none), its times on the day, its room, and its people in roles, in order."""

    WHAT = "item"

    def __init__(self, database: Database, event_id: int, lang: str, day: dt.date, rooms: Sequence[Choice],
                 sessions: Sequence[Choice], data: ItemData | None = None, cast: Sequence[Cast] = (),
                 parent: QWidget | None = None, *, is_new: bool = False) -> None:
        super().__init__(database, event_id, lang, day, rooms, vocabulary.ROLE_ORDER, parent)
        self.setWindowTitle(_("New agenda item") if data is None or is_new else _("Edit agenda item"))
        self.setObjectName("itemDialog")
        self._sessions = list(sessions)
        self.titles.add_row("description", p_("field", "Description"), multiline=True, flag_missing=False,
                            max_length=DESCRIPTION_MAX)
        self.kind = QComboBox()
        self.kind.setObjectName("kindBox")
        for kind in ItemKind:
            self.kind.addItem(vocabulary.item_kind(kind), kind)
        self.session = QComboBox()
        self.session.setObjectName("sessionBox")
        # Sessions' titles are long (longer still in Russian and Kazakh): the box does not
        # widen the dialog to the longest; its list shows them whole.
        self.session.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.session.setMinimumContentsLength(40)
        self.session.addItem(_("None — at top level"), None)
        for choice in self._sessions:
            self.session.addItem(choice.label, choice.id)
        self.form.addRow(p_("field", "&Kind"), self.kind)
        self.form.addRow(p_("field", "&Session"), self.session)
        self.form.addRow(self._label(p_("field", "&Time"), self.starts), self._times_row)
        self.form.addRow(p_("field", "&Room"), self.room)
        self._finish_layout(_("People on stage"))
        for lang in LANGUAGES:
            self.titles.edit("description", lang).setMaximumHeight(90)
            self.touched.watch(self.titles.edit("description", lang), f"description.{lang}")
        data_given = data
        data = data or ItemData(ItemKind.PRESENTATION, {}, dt.datetime.combine(day, dt.time(10)),
                                dt.datetime.combine(day, dt.time(10, 30)))
        self.kind.setCurrentIndex(max(0, self.kind.findData(data.kind)))
        self.session.setCurrentIndex(max(0, self.session.findData(data.session_id))
                                     if data.session_id is not None else 0)
        self.titles.set_value("title", data.title)
        self.titles.set_value("description", data.description)
        self._set_times(data.starts_at, data.ends_at)
        self._fill_rooms(_("No room of its own") if data.session_id is not None else _("No room"), data.room_id)
        self.cast.set_cast(cast)
        for combo in (self.kind, self.session, self.room):
            combo.currentIndexChanged.connect(self._on_anything_changed)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self._on_kind_current_index_changed()
        self.cast.list.model().rowsInserted.connect(self._on_anything_changed)
        self.cast.list.model().rowsRemoved.connect(self._on_anything_changed)
        self._show_all_problems(not (data_given is None or is_new))
        self._show_report()
        self.titles.edit("title", "en").setFocus()

    def _on_kind_current_index_changed(self, *_args: Any) -> None:
        """People added from now on are speakers, or panellists on a panel."""
        self.cast.default_role = RoleKind.PANELIST if self.kind.currentData() == ItemKind.PANEL else RoleKind.SPEAKER

    def data(self) -> ItemData:
        return ItemData(ItemKind(self.kind.currentData()), self.titles.value("title"), self.starts_at(), self.ends_at(),
                        self.room.currentData(), self.session.currentData(), self.titles.value("description"),
                        self.cast.roles())

    def _report(self) -> Report:
        context = self._context()
        return validate_item(self.data(), AgendaContext(context.rooms, {s.id: s.label for s in self._sessions},
                                                        context.people))


def _minutes(time: QTime) -> int:
    return time.hour() * 60 + time.minute()


# -- shift from here ---------------------------------------------------------------------------


class ShiftDialog(QDialog):
    """How many minutes to move an item and everything after it that day (− for earlier)."""

    def __init__(self, title: str, starts_at: dt.datetime, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Shift from here"))
        self.setObjectName("shiftDialog")
        self._starts_at = starts_at
        # Translators: {day} is "Friday, 28 February", {time} "10:30", {n} a number of items and sessions.
        explanation = QLabel(n_(
            "Move “{title}” and everything after it on {day} — {n} item and sessions from {time} on — by:",
            "Move “{title}” and everything after it on {day} — {n} items and sessions from {time} on — by:",
            count).format(title=title, day=formats.weekday_date(starts_at.date()), n=formats.number(count),
                          time=formats.time(starts_at)))
        explanation.setWordWrap(True)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("shiftMinutes")
        self.minutes.setRange(-12 * 60, 12 * 60)
        self.minutes.setSingleStep(STEP_MINUTES)
        self.minutes.setSuffix(" " + p_("minutes, short", "min"))
        self.minutes.setValue(15)
        self.minutes.valueChanged.connect(self._on_minutes_value_changed)
        self.preview = QLabel()
        self.preview.setObjectName("hint")
        hint = QLabel(_("A negative number moves them earlier."))
        hint.setObjectName("hint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(p_("button", "Shift"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.minutes)
        row.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.setStyleSheet(FIELD_STYLE)
        # The wrapped explanation's height at the dialog's width (a window does not ask its
        # layout for it, and the sentence was cut; longer in Russian and Kazakh).
        height = layout.totalHeightForWidth(440)
        self.setMinimumHeight(height)
        self.resize(440, height)
        self._on_minutes_value_changed(self.minutes.value())
        self.minutes.selectAll()

    def value(self) -> int:
        return self.minutes.value()

    def _on_minutes_value_changed(self, minutes: int) -> None:
        moved = self._starts_at + dt.timedelta(minutes=minutes)
        self.preview.setText(f"{formats.time(self._starts_at)} → {formats.time(moved)}" if minutes
                             else _("Nothing moves at 0."))
        self.ok_button.setEnabled(minutes != 0)
