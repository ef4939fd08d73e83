"""The person dialog: every field of a roster entry, the photo, and the organisation —
picked from the list or typed new (then its sector is asked for on the spot).

The dialog edits values; the section that opens it gives it the edit to make on Save
(``save``, ``desktop.ui.shell.saving``): the dialog closes once that edit landed, and stays
open with the user's input after a Cancel at "which value to keep?" or a refused save. Errors
(``desktop.core.people.validate_person``) frame the field in red and are listed under the
form — for a new person only once the user has touched the field or tried to save — and
Save stays disabled until there are none (its tooltip says what is missing); missing
translations are flagged in amber but do not stop saving.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import Gender, Sector
from db.types import LANGUAGES
from desktop.core import formats, vocabulary
from desktop.core.checks import Report
from desktop.core.folding import guess_language, name_key
from desktop.core.i18n import surname_first
from desktop.core.language import NP_, _, interface_language, n_, p_
from desktop.core.organisations import OrganisationChoice, OrganisationData, organisation_choices
from desktop.core.people import (
    DISPLAY_NAME_MAX,
    HONORIFIC_MAX,
    KEEP,
    NAME_MAX,
    POSITION_MAX,
    PersonData,
    load_person,
    same_email,
    validate_person,
)
from desktop.core.row_news import mark_row
from desktop.ui.shell import style
from desktop.ui.shell.fields import FIELD_STYLE, CountryBox, LocalTextGrid, PhotoField, mark_invalid
from desktop.ui.shell.row_notice import RowNotice
from desktop.ui.shell.saving import SaveInside
from desktop.ui.shell.touched import TouchedFields, save_tooltip

# Suggestions for the honorific (a free text, stored as chosen), in the interface language.
HONORIFICS = (
    NP_("honorific", "Mr"), NP_("honorific", "Ms"), NP_("honorific", "Mrs"), NP_("honorific", "Dr"),
    NP_("honorific", "Prof."), NP_("honorific", "H.E."), NP_("honorific", "Judge"),
    NP_("honorific", "Justice"), NP_("honorific", "Ambassador"),
)
GENDER_ORDER: tuple[Gender, ...] = (Gender.NOT_STATED, Gender.FEMALE, Gender.MALE)


def honorifics() -> list[str]:
    """The honorifics offered, in the interface language (each once: two English ones may be
    one word in another language), after an empty entry."""
    return ["", *dict.fromkeys(p_("honorific", h) for h in HONORIFICS)]


def family_name_first(lang: str | None = None) -> bool:
    """Whether names are asked surname first (Russian and Kazakh write them so)."""
    return surname_first(lang or interface_language())


class OrganisationPicker(QWidget):
    """An editable combo of the organisations, with a completer that finds a name typed in
    any case and any part; a name that is none of them is a new organisation, and a sector
    choice appears for it.

    Signals: none; read ``organisation_id()`` and ``new_organisation()``.
    """

    def __init__(self, choices: list[OrganisationChoice], lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self._lang = lang
        self._by_key: dict[str, int] = {}
        for choice in choices:
            self._by_key.setdefault(name_key(choice.label), choice.id)
            for key in choice.keys:
                self._by_key.setdefault(key, choice.id)
        self.combo = QComboBox()
        self.combo.setObjectName("organisationBox")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMaxVisibleItems(16)
        self.combo.addItem("", None)
        for choice in choices:
            self.combo.addItem(choice.label, choice.id)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        line = self.combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(_("Pick from the list, or type a new name"))
        self.combo.editTextChanged.connect(self._on_combo_edit_text_changed)

        self.new_row = QWidget()
        self.new_label = QLabel()
        self.new_label.setObjectName("hint")
        self.sector_box = QComboBox()
        self.sector_box.setObjectName("newOrganisationSector")
        for sector in Sector:
            self.sector_box.addItem(vocabulary.sector(sector), sector.value)
        self.sector_box.setCurrentIndex(self.sector_box.findData(Sector.OTHER.value))
        row = QHBoxLayout(self.new_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.new_label)
        row.addWidget(self.sector_box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.combo)
        layout.addWidget(self.new_row)
        self.new_row.setVisible(False)

    def set_organisation(self, organisation_id: int | None) -> None:
        index = self.combo.findData(organisation_id) if organisation_id is not None else 0
        self.combo.setCurrentIndex(max(index, 0))
        self._update()

    def typed(self) -> str:
        return " ".join(self.combo.currentText().split())

    def organisation_id(self) -> int | None:
        """The organisation chosen (None when none, or when the name typed is new)."""
        typed = self.typed()
        return self._by_key.get(name_key(typed)) if typed else None

    def is_new(self) -> bool:
        return bool(self.typed()) and self.organisation_id() is None

    def new_organisation(self) -> OrganisationData | None:
        if not self.is_new():
            return None
        typed = self.typed()
        sector = Sector(self.sector_box.currentData())
        return OrganisationData(name={guess_language(typed): typed}, sector=sector)

    def _update(self) -> None:
        new = self.is_new()
        self.new_row.setVisible(new)
        if new:
            self.new_label.setText(_("A new organisation, added when you save. Its sector:"))
            # Translators: {name} is the organisation's name as typed.
            self.new_row.setToolTip(_("“{name}” is not in the list of organisations yet.").format(name=self.typed()))

    def _on_combo_edit_text_changed(self, _text: str) -> None:
        self._update()


class PersonDialog(QDialog):
    """Add or edit one person. ``person_data()`` and ``new_organisation()`` are the result;
    ``save.make`` (set by the section) makes the edit before the dialog closes."""

    def __init__(self, database: Database, lang: str = "en", person_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._person_id = person_id
        self._lang = lang
        self.setObjectName("personDialog")
        self.setStyleSheet(FIELD_STYLE)
        with database.read() as session:
            choices = organisation_choices(session, lang)
            stored = load_person(session, person_id) if person_id is not None else PersonData(photo=None)
            mark = mark_row(session, "person", person_id) if person_id is not None else None
        self._stored = stored
        self.save = SaveInside()  # the section's edit, made on Save before the dialog closes

        heading = QLabel(_("Edit person") if person_id is not None else _("Add a person to the roster"))
        heading.setObjectName("pageTitle")
        heading.setFont(style.scaled_font(self.font(), 1.3, bold=True))

        self.honorific = QComboBox()
        self.honorific.setEditable(True)
        self.honorific.addItems(honorifics())
        honorific_line = self.honorific.lineEdit()
        assert honorific_line is not None
        honorific_line.setMaxLength(HONORIFIC_MAX)
        self.given_name = QLineEdit()
        self.given_name.setMaxLength(NAME_MAX)
        self.family_name = QLineEdit()
        self.family_name.setMaxLength(NAME_MAX)
        self.patronymic = QLineEdit()
        self.patronymic.setMaxLength(NAME_MAX)
        self.organisation = OrganisationPicker(choices, lang)
        self.country = CountryBox()
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.org")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("+7 7172 00 00 00")
        self.gender = QComboBox()
        for gender in GENDER_ORDER:
            self.gender.addItem(vocabulary.gender(gender), gender.value)
        self.gender.setToolTip(_("Used only for the participation figures by gender."))
        for name, widget in (("honorific", self.honorific), ("given_name", self.given_name),
                             ("family_name", self.family_name), ("patronymic", self.patronymic),
                             ("country", self.country), ("email", self.email), ("phone", self.phone),
                             ("gender", self.gender)):
            widget.setObjectName(name)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(7)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        names = [(_("&Given name:"), self.given_name), (_("&Family name:"), self.family_name),
                 (_("&Patronymic:"), self.patronymic)]
        if family_name_first():  # "Ахметова Әсем Маратқызы": surname, given name, patronymic
            names.insert(0, names.pop(1))
        for label, widget in [(_("&Honorific:"), self.honorific), *names, (_("&Organisation:"), self.organisation),
                              (_("Coun&try:"), self.country), (_("&E-mail:"), self.email), (_("P&hone:"), self.phone),
                              (_("Ge&nder:"), self.gender)]:
            form.addRow(label, widget)

        self.photo = PhotoField("photo")
        self.photo.setObjectName("photo")
        photo_box = QVBoxLayout()
        photo_caption = QLabel(p_("person field", "Photo"))
        photo_caption.setObjectName("sectionCaption")
        photo_box.addWidget(photo_caption)
        photo_box.addWidget(self.photo)

        top = QHBoxLayout()
        top.setSpacing(24)
        top.addLayout(form, 1)
        top.addLayout(photo_box)

        self.texts = LocalTextGrid()
        self.texts.add_row("display_name", _("Name as printed:"), flag_missing=False, max_length=DISPLAY_NAME_MAX)
        self.texts.add_row("position", _("Position:"), max_length=POSITION_MAX)
        self.texts.add_row("bio", _("Biography:"), multiline=True)
        texts_caption = QLabel(_("In each language — a language left empty shows another in its place "
                                 "(flagged in amber)"))
        texts_caption.setObjectName("sectionCaption")
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        self.problems = QLabel()
        self.problems.setObjectName("problemText")
        self.problems.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("warningText")
        self.warnings.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("primaryButton")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        # Another workstation's change to this person while the dialog is open is told here.
        self.row_notice = RowNotice()
        self.row_notice.watch(database, mark, parent)
        layout.addWidget(self.row_notice)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(line)
        layout.addWidget(texts_caption)
        layout.addWidget(self.texts, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.warnings)
        layout.addWidget(self.buttons)

        self._fill(stored)
        # A field's error shows once the user touched it or tried to save; editing a stored
        # person shows them at once (they are about what is stored, not about the typing).
        self.touched = TouchedFields(self)
        self.touched.touched.connect(self._on_touched)
        for name in ("honorific", "given_name", "family_name", "patronymic", "country", "email", "phone",
                     "organisation_id"):
            widget = self._widget_for(name)
            assert widget is not None
            self.touched.watch(widget, name)
        for key in ("display_name", "position", "bio"):
            for code in LANGUAGES:  # not ``lang``: the dialog's language, used below
                self.touched.watch(self.texts.edit(key, code), f"{key}.{code}")
        if person_id is not None:
            self.touched.try_save()
        for name, edit in (("given_name", self.given_name), ("family_name", self.family_name),
                           ("patronymic", self.patronymic), ("email", self.email), ("phone", self.phone)):
            edit.textChanged.connect(lambda _text, field=name: self.touched.touch(field))
            edit.textChanged.connect(self._on_field_text_changed)
        self.country.editTextChanged.connect(self._on_field_text_changed)
        self.honorific.editTextChanged.connect(self._on_field_text_changed)
        self.texts.changed.connect(self._on_texts_changed)
        self.photo.changed.connect(self._on_photo_changed)
        self.photo.refused.connect(self._on_photo_refused)
        self.email.editingFinished.connect(self._on_email_editing_finished)
        self.organisation.combo.editTextChanged.connect(self._on_field_text_changed)
        self._photo_problem = ""
        self._email_note = ""
        # Translators: {name} is the person's name.
        self.setWindowTitle(_("Edit {name}").format(name=stored.name(lang)) if person_id is not None
                            else _("Add person"))
        self.resize(880, 700)
        self._validate()
        (self.given_name if person_id is None and not family_name_first() else self.family_name).setFocus()

    # -- result ---------------------------------------------------------------------------

    @property
    def person_id(self) -> int | None:
        """The person edited; None when adding one."""
        return self._person_id

    @property
    def base(self) -> PersonData | None:
        """The person as the dialog read them (None when adding one): the edit's ``base``."""
        return self._stored if self._person_id is not None else None

    def person_data(self) -> PersonData:
        """The values in the dialog (the organisation id is None when it is a new one)."""
        photo = self.photo.value() if self.photo.changed_by_user else KEEP
        return PersonData(
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            patronymic=self.patronymic.text(),
            honorific=self.honorific.currentText(),
            display_name=self.texts.value("display_name"),
            position=self.texts.value("position"),
            bio=self.texts.value("bio"),
            organisation_id=self.organisation.organisation_id(),
            country=self.country.code(),
            email=self.email.text(),
            phone=self.phone.text(),
            gender=Gender(self.gender.currentData()),
            photo=photo,
        ).cleaned()

    def new_organisation(self) -> OrganisationData | None:
        return self.organisation.new_organisation()

    def report(self) -> Report:
        return validate_person(self.person_data())

    # -- helpers --------------------------------------------------------------------------

    def _fill(self, data: PersonData) -> None:
        self.honorific.setEditText(data.honorific)
        self.given_name.setText(data.given_name)
        self.family_name.setText(data.family_name)
        self.patronymic.setText(data.patronymic)
        self.organisation.set_organisation(data.organisation_id)
        self.country.set_code(data.country)
        self.email.setText(data.email)
        self.phone.setText(data.phone)
        self.gender.setCurrentIndex(max(self.gender.findData(Gender(data.gender).value), 0))
        self.texts.set_value("display_name", data.display_name)
        self.texts.set_value("position", data.position)
        self.texts.set_value("bio", data.bio)
        self.photo.set_value(data.photo if isinstance(data.photo, bytes) else None)
        for widget in (self.given_name, self.family_name, self.patronymic, self.email, self.phone):
            widget.setCursorPosition(0)

    def _widget_for(self, field: str) -> QWidget | None:
        base, _, lang = field.partition(".")
        if lang and base in ("display_name", "position", "bio"):
            return self.texts.edit(base, lang)
        return {
            "honorific": self.honorific, "given_name": self.given_name, "family_name": self.family_name,
            "patronymic": self.patronymic, "country": self.country, "email": self.email, "phone": self.phone,
            "gender": self.gender, "organisation_id": self.organisation.combo, "photo": self.photo.preview,
        }.get(base)

    def _validate(self) -> None:
        report = self.report()
        shown = self.touched.shown(report.errors)
        errors = {p.field: p.message for p in shown}
        for field in ("honorific", "given_name", "family_name", "patronymic", "country", "email", "phone"):
            widget = self._widget_for(field)
            if widget is not None:
                mark_invalid(widget, errors.get(field))
        if "family_name" in errors:  # the name rule is about both name fields
            mark_invalid(self.given_name, errors["family_name"])
        for key in ("display_name", "position", "bio"):
            for lang in ("en", "ru", "kk"):
                message = errors.get(f"{key}.{lang}")
                edit = self.texts.edit(key, lang)
                if message:
                    mark_invalid(edit, message)
                elif edit.property("invalid"):
                    mark_invalid(edit, None)
        messages = [p.message for p in shown]
        if self._photo_problem:
            messages.append(self._photo_problem)
        self.problems.setText("\n".join(messages))
        self.problems.setVisible(bool(messages))
        notes = []
        if self._email_note:
            notes.append(self._email_note)
        missing = [lang for key in ("position", "bio") for lang in self.texts.missing(key)]
        if missing:
            notes.append(_("Some texts are missing a translation (amber): another language is printed instead."))
        self.warnings.setText("\n".join(notes))
        self.warnings.setVisible(bool(notes))
        self.save_button.setEnabled(report.is_valid)
        self.save_button.setToolTip(save_tooltip(report.errors))

    # -- slots ------------------------------------------------------------------------------

    def _on_field_text_changed(self, _text: str) -> None:
        self._validate()

    def _on_touched(self, _field: str) -> None:
        self._validate()

    def _on_texts_changed(self) -> None:
        self._validate()

    def _on_photo_changed(self) -> None:
        self._photo_problem = ""
        self._validate()

    def _on_photo_refused(self, message: str) -> None:
        self._photo_problem = message
        self._validate()

    def _on_email_editing_finished(self) -> None:
        email = self.email.text().strip()
        note = ""
        if email:
            with self._database.read() as session:
                others = same_email(session, email, exclude_id=self._person_id)
            if others:
                names = formats.listing(name for _id, name in others[:3])
                # Translators: {names} are the people's names, listed.
                note = n_("{names} in the roster has this e-mail too: the same person? "
                          "(Merge the two records from the People list.)",
                          "{names} in the roster have this e-mail too: the same person? "
                          "(Merge the two records from the People list.)", len(others)).format(names=names)
        self._email_note = note
        self._validate()

    def accept(self) -> None:
        """Make the edit (``save``) and close once it landed; else stay open as it is."""
        if self.save.run():
            super().accept()

    def _on_buttons_accepted(self) -> None:
        self.touched.try_save()
        self._validate()
        if self.report().is_valid:
            self.accept()
