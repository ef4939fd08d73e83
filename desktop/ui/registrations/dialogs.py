"""The dialogs of the Registrations section: Register… (someone from the roster, or someone
new) and Details… (a registration's category, status, needs, photo consent and notes).

Dialogs only collect what the user chose; the page makes the edit through core and pushes
it on the undo stack.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from db.models import Category, Sector, Source, Status
from desktop.core import formats, vocabulary
from desktop.core.checks import email_problem
from desktop.core.errors import error_sentence
from desktop.core.events import EventDetail
from desktop.core.folding import name_key
from desktop.core.i18n import surname_first
from desktop.core.language import NP_, _, interface_language, p_
from desktop.core.organisations import OrganisationChoice, organisation_choices
from desktop.core.registration_edit import EDITABLE_FIELDS, NewPerson, PersonChoice, RegistrationDetails, find_people
from desktop.core.row_news import RowMark
from desktop.ui.shell import style
from desktop.ui.shell.row_notice import RowNotice
from desktop.ui.shell.saving import SaveInside

SEARCH_DELAY_MS = 150
ROSTER_LIMIT = 50


def _combo(items: list[tuple[str, Any]], current: Any = None) -> QComboBox:
    combo = QComboBox()
    for label, value in items:
        combo.addItem(label, value)
    at = combo.findData(current)
    if at >= 0:
        combo.setCurrentIndex(at)
    return combo


def category_combo(current: Category = Category.PARTICIPANT) -> QComboBox:
    return _combo([(vocabulary.category(c), c.value) for c in Category], current.value)


def status_combo(current: Status = Status.REGISTERED) -> QComboBox:
    return _combo([(vocabulary.status(s), s.value) for s in Status], current.value)


class RegisterDialog(QDialog):
    """Register someone for the event: a person from the roster (searched as you type), or
    a new one (given and family name, organisation picked or typed, e-mail)."""

    ROSTER, NEW = range(2)

    def __init__(self, database: Database, event_id: int, lang: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Register for the event"))
        self.setMinimumWidth(760)
        self._database = database
        self._event_id = event_id
        self._lang = lang

        self.tabs = QTabWidget()
        self.tabs.addTab(self._roster_tab(), _("Someone in the roster"))
        self.tabs.addTab(self._new_tab(), _("Someone new"))
        self.tabs.currentChanged.connect(self._on_anything_changed)

        self.category = category_combo()
        self.status = status_combo(Status.REGISTERED)
        form = QFormLayout()
        form.addRow(p_("registration field", "Category"), self.category)
        form.addRow(p_("registration field", "Status"), self.status)

        self.problem = QLabel()
        self.problem.setObjectName("dialogProblem")
        self.problem.setStyleSheet(f"color: {style.MUTED};")
        self.problem.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.register_button = self.buttons.addButton(p_("button", "Register"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._search_roster()
        self._on_anything_changed()

    # -- the roster ------------------------------------------------------------------------

    def _roster_tab(self) -> QWidget:
        tab = QWidget()
        self.person_search = QLineEdit()
        self.person_search.setPlaceholderText(_("Type a name, organisation or e-mail"))
        self.person_search.setClearButtonEnabled(True)
        self.person_search.textChanged.connect(self._on_person_search_text_changed)
        self.people = QTreeWidget()
        self.people.setObjectName("rosterList")
        self.people.setRootIsDecorated(False)
        self.people.setUniformRowHeights(True)
        self.people.setAlternatingRowColors(True)
        self.people.setHeaderLabels([p_("roster column", "Name"), p_("roster column", "Organisation"),
                                     p_("roster column", "E-mail"), p_("roster column", "This event")])
        self.people.setMinimumHeight(240)
        header = self.people.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 200)
        header.resizeSection(2, 190)
        # Room for the heading ("Это мероприятие"); a longer "registered, K7Q2MX" is whole in its tooltip.
        bold = QFont(header.font())
        bold.setBold(True)  # the style sheet's header weight
        header.resizeSection(3, max(130, QFontMetrics(bold).horizontalAdvance(self.people.headerItem().text(3)) + 32))
        self.people.currentItemChanged.connect(self._on_anything_changed)
        self.people.itemDoubleClicked.connect(self._on_people_item_double_clicked)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_roster)
        self.roster_note = QLabel()
        self.roster_note.setStyleSheet(f"color: {style.MUTED};")
        layout = QVBoxLayout(tab)
        layout.addWidget(self.person_search)
        layout.addWidget(self.people, 1)
        layout.addWidget(self.roster_note)
        return tab

    def _search_roster(self) -> None:
        self._search_timer.stop()
        try:
            with self._database.read() as session:
                found = find_people(session, self.person_search.text(), self._event_id,
                                    limit=ROSTER_LIMIT, lang=self._lang)
        except SQLAlchemyError as exc:
            self.problem.setText(_("Cannot search the roster: {reason}").format(reason=error_sentence(exc)))
            return
        self.people.clear()
        self.people.addTopLevelItems([self._person_item(person) for person in found])
        first = next((i for i in range(self.people.topLevelItemCount())
                      if self.people.topLevelItem(i).flags() & Qt.ItemFlag.ItemIsSelectable), None)
        if first is not None:
            self.people.setCurrentItem(self.people.topLevelItem(first))
        self.roster_note.setText(_("The first {n} matches: type more to narrow them.").format(n=ROSTER_LIMIT)
                                 if len(found) == ROSTER_LIMIT else "")
        self._on_anything_changed()

    def _person_item(self, person: PersonChoice) -> QTreeWidgetItem:
        # Translators: in the roster's "This event" column: registered already, with the badge code.
        registered = _("registered, {code}").format(code=person.registered_code) if person.registered_code else ""
        item = QTreeWidgetItem([person.name, person.organisation, person.email, registered])
        item.setData(0, Qt.ItemDataRole.UserRole, person.id)
        for column, value in enumerate((person.name, person.organisation, person.email)):
            item.setToolTip(column, value)
        if person.registered_code:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # shown, not chosen
            for column in range(4):
                item.setForeground(column, QColor(style.FAINT))
            item.setToolTip(3, _("Registered for this event already (badge {code})").format(
                code=person.registered_code))
        return item

    def _on_person_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_people_item_double_clicked(self, _item: QTreeWidgetItem, _column: int) -> None:
        if self.register_button.isEnabled():
            self.accept()

    # -- someone new ---------------------------------------------------------------------------

    def _new_tab(self) -> QWidget:
        tab = QWidget()
        self.given_name = QLineEdit()
        self.family_name = QLineEdit()
        self.email = QLineEdit()
        self.email.setPlaceholderText(_("name@example.org (optional)"))
        with self._database.read() as session:
            self._organisations: list[OrganisationChoice] = organisation_choices(session, self._lang)
        self.organisation = QComboBox()
        self.organisation.setEditable(True)
        self.organisation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.organisation.addItem("", None)
        for org in self._organisations:
            self.organisation.addItem(org.label, org.id)
        completer = self.organisation.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.organisation.lineEdit().setPlaceholderText(_("Pick one, or type the name of a new one (optional)"))
        self.sector = _combo([(vocabulary.sector(s), s.value) for s in Sector], Sector.OTHER.value)
        self.sector.setToolTip(_("The sector of a new organisation"))
        self.organisation_note = QLabel()
        self.organisation_note.setStyleSheet(f"color: {style.MUTED};")
        for field in (self.given_name, self.family_name, self.email):
            field.textChanged.connect(self._on_anything_changed)
        self.organisation.editTextChanged.connect(self._on_anything_changed)
        form = QFormLayout(tab)
        names = [(p_("person field", "Given name"), self.given_name),
                 (p_("person field", "Family name"), self.family_name)]
        if surname_first(interface_language()):
            names.reverse()  # the region writes the surname first, and asks for it first
        for label, field in names:
            form.addRow(label, field)
        form.addRow(p_("person field", "Organisation"), self.organisation)
        form.addRow("", self.organisation_note)
        form.addRow(p_("person field", "Sector"), self.sector)
        form.addRow(p_("person field", "E-mail"), self.email)
        QWidget.setTabOrder(names[0][1], names[1][1])
        QWidget.setTabOrder(names[1][1], self.organisation)
        return tab

    def _organisation_typed(self) -> tuple[int | None, str]:
        """(an existing organisation's id, or None; the text typed)."""
        typed = " ".join(self.organisation.currentText().split())
        if not typed:
            return None, ""
        wanted, key = typed.casefold(), name_key(typed)
        for org in self._organisations:
            if org.label.casefold() == wanted or key in org.keys:
                return org.id, typed
        return None, typed

    # -- the whole --------------------------------------------------------------------------

    def _on_anything_changed(self, *_args: Any) -> None:
        problem = ""
        if self.tabs.currentIndex() == self.ROSTER:
            item = self.people.currentItem()
            ok = item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsSelectable)
            count = self.people.topLevelItemCount()
            choosable = sum(1 for i in range(count)
                            if self.people.topLevelItem(i).flags() & Qt.ItemFlag.ItemIsSelectable)
            if not ok:
                problem = (_("Nobody in the roster matches: try other words, or register someone new.")
                           if count == 0 else
                           _("Everyone found is registered already: try other words, or register someone new.")
                           if choosable == 0 else _("Choose the person to register."))
        else:
            names = self.given_name.text().strip() or self.family_name.text().strip()
            email = self.email.text().strip()
            org_id, typed = self._organisation_typed()
            is_new_org = org_id is None and bool(typed)
            self.sector.setEnabled(is_new_org)
            self.organisation_note.setText(
                _("“{name}” is new: it will be added with the sector below.").format(name=typed) if is_new_org else "")
            email_wrong = email_problem(email)
            ok = bool(names) and email_wrong is None
            if not names:
                problem = (_("Type a family name or a given name.") if surname_first(interface_language())
                           else _("Type a given name or a family name."))
            elif email_wrong:
                problem = email_wrong
        self.register_button.setEnabled(ok)
        self.problem.setText(problem)

    def request(self) -> dict[str, Any]:
        """Keywords for ``desktop.core.registrations.register`` (beside the event)."""
        common = {"category": Category(self.category.currentData()), "status": Status(self.status.currentData())}
        if self.tabs.currentIndex() == self.ROSTER:
            item = self.people.currentItem()
            return {"person_id": int(item.data(0, Qt.ItemDataRole.UserRole)), **common}
        org_id, typed = self._organisation_typed()
        return {
            "new_person": NewPerson(
                given_name=self.given_name.text(), family_name=self.family_name.text(),
                email=self.email.text().strip() or None, organisation_id=org_id,
                organisation_name=typed if org_id is None and typed else None,
                organisation_sector=Sector(self.sector.currentData()), lang=self._lang,
            ),
            **common,
        }


PHOTO_CONSENT: list[tuple[str, bool | None]] = [
    (NP_("photo consent", "Not asked"), None), (NP_("photo consent", "Yes"), True), (NP_("photo consent", "No"), False),
]
"""The photo consent's choices (messages of the context "photo consent", translated where shown)."""

SOURCES = {Source.MANUAL: NP_("registration source", "Registered by hand"),
           Source.DESK: NP_("registration source", "Registered at a desk"),
           Source.DEMO: NP_("registration source", "Demo data (illustrative)")}


def source_text(details: RegistrationDetails) -> str:
    """Where the registration came from, in the interface language."""
    if details.source == Source.IMPORT:
        if not details.source_file:
            return _("Imported from a file")
        if details.source_row:
            return _("Imported from {file}, row {row}").format(file=details.source_file, row=details.source_row)
        return _("Imported from {file}").format(file=details.source_file)
    if details.source in SOURCES:
        return p_("registration source", SOURCES[details.source])
    return details.source.value


class DetailsDialog(QDialog):
    """A registration's details: who, badge, source and check-in (read only); category,
    status, interpretation, dietary and accessibility needs, photo consent and notes.
    ``save.make`` (set by the section) makes the edit on Save before the dialog closes
    (``desktop.ui.shell.saving``)."""

    def __init__(self, details: RegistrationDetails, event: EventDetail, zone: dt.tzinfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = details
        self.save = SaveInside()  # the section's edit, made on Save before the dialog closes
        self.setWindowTitle(_("Registration of {name}").format(name=details.name))
        self.setMinimumWidth(520)

        name = QLabel(details.name)
        name.setObjectName("dialogTitle")
        name.setFont(style.scaled_font(self.font(), 1.25, bold=True))
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        about = [_("Badge code {code}").format(code=details.code)]
        if details.organisation:
            about.append(details.organisation)
        if details.email:
            about.append(details.email)
        facts = QLabel(" · ".join(about))
        facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts.setWordWrap(True)
        if details.checked_in_at is not None:
            at = details.checked_in_at.astimezone(zone)
            when = {"date": formats.date(at.date()), "time": formats.time(at)}
            if details.desk:
                # Translators: {desk} is the desk's name.
                arrival = _("Checked in at {desk}, {date} {time}").format(desk=details.desk, **when)
            else:
                arrival = _("Checked in, {date} {time}").format(**when)
        else:
            arrival = p_("check-in", "Not checked in")
        history = QLabel(f"{source_text(details)} · {arrival}")
        history.setStyleSheet(f"color: {style.MUTED};")
        history.setWordWrap(True)

        self.category = category_combo(details.category)
        self.status = status_combo(details.status)
        languages = list(dict.fromkeys([*event.languages, "en", "ru", "kk"]))
        if details.interpretation and details.interpretation not in languages:
            languages.append(details.interpretation)
        self.interpretation = _combo(
            [(p_("interpretation", "None"), None)] + [(vocabulary.language(code), code) for code in languages],
            details.interpretation)
        self.dietary = QLineEdit(details.dietary or "")
        self.dietary.setMaxLength(200)
        self.dietary.setPlaceholderText(_("e.g. vegetarian, halal, no nuts"))
        self.accessibility = QLineEdit(details.accessibility or "")
        self.accessibility.setMaxLength(200)
        self.accessibility.setPlaceholderText(_("e.g. wheelchair access, sign language"))
        self.photo_consent = _combo([(p_("photo consent", label), value) for label, value in PHOTO_CONSENT],
                                    details.photo_consent)
        self.notes = QPlainTextEdit(details.notes or "")
        self.notes.setMinimumHeight(90)

        form = QFormLayout()
        form.addRow(p_("registration field", "Category"), self.category)
        form.addRow(p_("registration field", "Status"), self.status)
        form.addRow(p_("registration field", "Interpretation"), self.interpretation)
        form.addRow(p_("registration field", "Dietary needs"), self.dietary)
        form.addRow(p_("registration field", "Accessibility"), self.accessibility)
        form.addRow(p_("registration field", "Photo consent"), self.photo_consent)
        form.addRow(p_("registration field", "Notes"), self.notes)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        self.row_notice = RowNotice()  # another workstation's change to it, while open (watch_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.row_notice)
        layout.addWidget(name)
        layout.addWidget(facts)
        layout.addWidget(history)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def watch_row(self, database: Database, mark: RowMark | None) -> None:
        """Tell, at the top, when another workstation changes this registration (``mark``:
        read with the details)."""
        self.row_notice.watch(database, mark, self.parentWidget())

    def values(self) -> dict[str, Any]:
        """The editable fields as the dialog shows them now."""
        return {
            "category": Category(self.category.currentData()),
            "status": Status(self.status.currentData()),
            "interpretation": self.interpretation.currentData(),
            "dietary": self.dietary.text().strip() or None,
            "accessibility": self.accessibility.text().strip() or None,
            "photo_consent": self.photo_consent.currentData(),
            "notes": self.notes.toPlainText().strip() or None,
        }

    def changed_values(self) -> dict[str, Any]:
        """Only the fields the user changed."""
        before = self.details.editable()
        return {name: value for name, value in self.values().items()
                if name in EDITABLE_FIELDS and value != before[name]}

    def accept(self) -> None:
        """Make the edit (``save``) and close once it landed; else stay open as it is."""
        if self.save.run():
            super().accept()


__all__ = ["DetailsDialog", "RegisterDialog", "source_text"]
