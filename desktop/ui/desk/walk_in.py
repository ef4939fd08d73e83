"""The desk's walk-in form: the few fields that register someone who came without
registering (``desktop.core.desk.walk_in`` registers, gives a badge code and checks in).

An organisation typed that no organisation has as its name, but whose words an existing
one's name holds or is held by ("Министерство юстиции" beside "Министерство юстиции
Республики Казахстан"), gets a "Did you mean …?" under the field: a click on the name
puts it in (``desktop.core.organisations.OrganisationNames.similar``)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.models import Category
from desktop.core.checks import email_problem
from desktop.core.collation import sorted_texts
from desktop.core.language import _, interface_language
from desktop.core.organisations import OrganisationNames, SimilarOrganisation
from desktop.core.people import NAME_MAX
from desktop.ui.registrations.dialogs import category_combo


class WalkInDialog(QDialog):
    """Family name, given name and patronymic — in that order, as the region writes names —
    organisation (completed from the organisations known, with a "Did you mean …?" for a
    near-twin of one), category, an optional e-mail, and whether to print the badge
    afterwards."""

    def __init__(self, organisations: OrganisationNames | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._organisations = organisations if organisations is not None else OrganisationNames(())
        self._similar: list[SimilarOrganisation] = []
        self.setWindowTitle(_("Walk-in"))
        self.setMinimumWidth(460)
        intro = QLabel(_("Register someone who is not on the list: they are checked in at once "
                         "and get a new badge code."))
        intro.setWordWrap(True)
        self.family = QLineEdit()
        self.family.setPlaceholderText(_("e.g. Sarsenbayeva"))
        self.given = QLineEdit()
        self.given.setPlaceholderText(_("e.g. Aliya"))
        self.patronymic = QLineEdit()
        self.patronymic.setPlaceholderText(_("optional, e.g. Nurlanovna"))
        for edit in (self.family, self.given, self.patronymic):
            edit.setMaxLength(NAME_MAX)
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText(_("start typing: known organisations are offered"))
        self._offer_names()
        self.similar_note = QLabel()
        self.similar_note.setObjectName("similarNote")
        self.similar_note.setWordWrap(True)
        self.similar_note.setTextFormat(Qt.TextFormat.RichText)
        self.similar_note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.similar_note.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                  | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.similar_note.setVisible(False)
        self.similar_note.linkActivated.connect(self._on_similar_note_link_activated)
        self.organisation.textChanged.connect(self._on_organisation_text_changed)
        self.category = category_combo(Category.PARTICIPANT)
        self.email = QLineEdit()
        self.email.setPlaceholderText(_("optional: finds them if they are in the roster already"))
        self.print_badge = QCheckBox(_("Print the badge after check-in"))
        self.print_badge.setChecked(True)
        self.problem = QLabel()
        self.problem.setObjectName("formProblem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("&Family name:"), self.family)
        form.addRow(_("&Given name:"), self.given)
        form.addRow(_("&Patronymic:"), self.patronymic)
        form.addRow(_("&Organisation:"), self.organisation)
        form.addRow("", self.similar_note)
        form.addRow(_("&Category:"), self.category)
        form.addRow(_("&E-mail:"), self.email)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = QPushButton(_("&Register and check in"))
        self.ok_button.setDefault(True)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.print_badge)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.family.setFocus()

    def set_organisations(self, organisations: OrganisationNames) -> None:
        """The organisations to offer, once read (the desk opens the form before: the
        database may be slow to answer)."""
        self._organisations = organisations
        self._offer_names()
        if self.organisation.text():
            self._on_organisation_text_changed(self.organisation.text())

    def _offer_names(self) -> None:
        # Each organisation's own name (no abbreviation added): what is picked finds it.
        names = {label for label in self._organisations.labels.values() if label}
        completer = QCompleter(sorted_texts(names, str, interface_language()), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        self.organisation.setCompleter(completer)

    def set_typed_name(self, typed: str) -> None:
        """Fill the names from what was typed at the desk, read as the region writes names:
        family name, given name, patronymic ("Sarsenbayeva Aliya Nurlanovna")."""
        parts = typed.split()
        self.family.setText(parts[0] if parts else "")
        self.given.setText(parts[1] if len(parts) > 1 else "")
        self.patronymic.setText(" ".join(parts[2:]))

    def suggestions(self) -> list[SimilarOrganisation]:
        """The existing organisations the note offers for what is typed (none: no note)."""
        return list(self._similar)

    def use_suggestion(self, index: int = 0) -> None:
        """Put the ``index``-th suggestion's name in the organisation field."""
        self.organisation.setText(self._similar[index].label)

    @Slot(str)
    def _on_organisation_text_changed(self, typed: str) -> None:
        self._similar = self._organisations.similar(typed, limit=3)
        links = [f'<a href="{n}">{escape(s.label)}</a>' for n, s in enumerate(self._similar)]
        self.similar_note.setText(_did_you_mean(links))
        self.similar_note.setToolTip(_("An organisation with a similar name exists already: click its name "
                                       "to register them there, or keep what you typed to add a new one.")
                                     if links else "")
        if self.similar_note.isVisibleTo(self) != bool(links) or links:
            self.similar_note.setVisible(bool(links))
            self._fit_height()

    def _fit_height(self) -> None:
        """Give the note the height its lines take at the field's width (a form does not
        ask a wrapped label), and the dialog the height it then needs."""
        if self.similar_note.isVisibleTo(self):
            self.similar_note.setFixedHeight(self.similar_note.heightForWidth(self.organisation.width()))
        layout = self.layout()
        if layout is not None:
            layout.activate()
            self.resize(self.width(), max(self.minimumSizeHint().height(), layout.sizeHint().height()))

    @Slot(str)
    def _on_similar_note_link_activated(self, link: str) -> None:
        self.use_suggestion(int(link))
        self.organisation.setFocus()

    def values(self) -> dict[str, object]:
        """What ``walk_in`` needs, as typed."""
        return {
            "given_name": self.given.text().strip(),
            "family_name": self.family.text().strip(),
            "patronymic": self.patronymic.text().strip() or None,
            "organisation_name": self.organisation.text().strip() or None,
            "category": Category(self.category.currentData()),
            "email": self.email.text().strip() or None,
        }

    def _on_buttons_accepted(self) -> None:
        if not (self.given.text().strip() or self.family.text().strip()):
            self.problem.setText(_("Type a family name or a given name."))
            self.family.setFocus()
            return
        if wrong := email_problem(self.email.text()):
            self.problem.setText(wrong)
            self.email.setFocus()
            return
        self.accept()


def _did_you_mean(links: list[str]) -> str:
    """"Did you mean A?", "Did you mean A or B?", "Did you mean A, B or C?" (``links`` are
    the organisations' names as links); nothing for none."""
    if not links:
        return ""
    if len(links) == 1:
        return _("Did you mean {organisation}?").format(organisation=links[0])
    # Translators: {organisations} is one or more names joined by commas, {last} the last name.
    return _("Did you mean {organisations} or {last}?").format(organisations=", ".join(links[:-1]), last=links[-1])
