"""Organisations in the People section: the table model and the organisation dialog."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import Sector
from db.types import LANGUAGES
from desktop.core import formats, vocabulary
from desktop.core.checks import Report
from desktop.core.language import _, n_, p_
from desktop.core.organisations import (
    KEEP,
    NAME_MAX,
    SHORT_NAME_MAX,
    OrganisationData,
    OrganisationRow,
    load_organisation,
    validate_organisation_names,
)
from desktop.core.row_news import RowMark, mark_row
from desktop.ui.shell import style
from desktop.ui.shell.fields import FIELD_STYLE, CountryBox, LocalTextGrid, PhotoField, mark_invalid
from desktop.ui.shell.row_notice import RowNotice
from desktop.ui.shell.saving import SaveInside
from desktop.ui.shell.table import Column, RowTableModel


def _missing_tip(row: OrganisationRow) -> str | None:
    if not row.missing:
        return row.name or None
    names = ", ".join(vocabulary.language(code) for code in row.missing)
    # Translators: {languages} are the languages' names, apart with commas ("Russian, Kazakh").
    return "\n".join((row.name, _("No name yet in {languages}").format(languages=names)))


def _translations(row: OrganisationRow) -> str:
    """The languages the name is given in, then those it lacks: "EN, RU · missing KK"."""
    given = ", ".join(code.upper() for code in LANGUAGES if code not in row.missing)
    if not row.missing:
        return given
    # Translators: {codes} are languages' codes ("RU, KK"), written as they are.
    lacking = _("missing {codes}").format(codes=", ".join(code.upper() for code in row.missing))
    return f"{given} · {lacking}" if given else lacking


def _translations_tip(row: OrganisationRow) -> str | None:
    if row.missing:
        return _missing_tip(row)
    names = [vocabulary.language(code) for code in LANGUAGES]
    # Translators: {languages} are the languages' names, listed ("English, Russian and Kazakh").
    return _("The name is given in {languages}.").format(languages=formats.listing(names)) if len(names) > 1 \
        else None


def _events_tip(row: OrganisationRow) -> str | None:
    if not row.events:
        return None
    return n_("Named as a partner of {n} event", "Named as a partner of {n} events", row.events).format(
        n=formats.number(row.events))


def organisation_columns() -> tuple[Column, ...]:
    """The organisations' columns, headed in the interface language."""
    return (
        Column(p_("organisation", "Name"), lambda r: r.name, width=0, tooltip=_missing_tip),
        Column(_("Short name"), lambda r: r.short_name, width=12),
        Column(_("Sector"), lambda r: vocabulary.sector(r.sector), width=22,
               sort_key=lambda r: list(Sector).index(r.sector)),
        Column(_("Country"), lambda r: r.country, width=7, align=Qt.AlignmentFlag.AlignHCenter),
        Column(p_("column", "People"), lambda r: formats.number(r.people), width=7,
               align=Qt.AlignmentFlag.AlignRight, sort_key=lambda r: r.people),
        Column(p_("column", "Events"), lambda r: formats.number(r.events) if r.events else "", width=7,
               align=Qt.AlignmentFlag.AlignRight, sort_key=lambda r: r.events, tooltip=_events_tip),
        Column(_("Translations"), _translations, width=20, sort_key=lambda r: len(r.missing),
               align=Qt.AlignmentFlag.AlignHCenter,
               foreground=lambda r: QColor("#8a6100") if r.missing else QColor(style.MUTED),
               tooltip=_translations_tip),
    )


class OrganisationsModel(RowTableModel):
    """``OrganisationRow``s: name, short name, sector, country, people, events, translations."""

    NAME, SHORT_NAME, SECTOR, COUNTRY, PEOPLE, EVENTS, TRANSLATIONS = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(organisation_columns(), parent)


class OrganisationDialog(QDialog):
    """Add or edit one organisation: names and short names per language, sector, country, logo.

    ``organisation_data()`` is the result; ``save.make`` (set by the section) makes the edit
    before the dialog closes (``desktop.ui.shell.saving``): after a Cancel at "which value to
    keep?" or a refused save it stays open with the user's input.
    """

    def __init__(self, database: Database, organisation_id: int | None = None,
                 parent: QWidget | None = None, *, initial_name: str = "") -> None:
        super().__init__(parent)
        self._database = database
        self._organisation_id = organisation_id
        self.setObjectName("organisationDialog")
        self.setStyleSheet(FIELD_STYLE)
        mark: RowMark | None = None
        if organisation_id is not None:
            with database.read() as session:
                stored = load_organisation(session, organisation_id)
                mark = mark_row(session, "organisation", organisation_id)
        else:
            stored = OrganisationData(name={"en": initial_name} if initial_name else {}, logo=None)
        self.base: OrganisationData | None = stored if organisation_id is not None else None
        """The organisation as the dialog read it (None when adding one): the edit's ``base``."""
        self.save = SaveInside()  # the section's edit, made on Save before the dialog closes

        heading = QLabel(_("Edit organisation") if organisation_id is not None else _("Add an organisation"))
        heading.setObjectName("pageTitle")
        heading.setFont(style.scaled_font(self.font(), 1.3, bold=True))

        self.texts = LocalTextGrid()
        self.texts.add_row("name", p_("organisation", "Name:"), max_length=NAME_MAX)
        self.texts.add_row("short_name", _("Short name:"), flag_missing=False, max_length=SHORT_NAME_MAX)
        self.sector = QComboBox()
        self.sector.setObjectName("sector")
        for sector in Sector:
            self.sector.addItem(vocabulary.sector(sector), sector.value)
        self.country = CountryBox()
        self.country.setObjectName("country")
        self.logo = PhotoField("logo")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(8)
        form.addRow(_("&Sector:"), self.sector)
        form.addRow(_("Coun&try:"), self.country)
        form_box = QVBoxLayout()
        form_box.addLayout(form)
        form_box.addStretch(1)
        details = QHBoxLayout()
        details.setSpacing(24)
        details.addLayout(form_box, 1)
        logo_box = QVBoxLayout()
        caption = QLabel(_("Logo"))
        caption.setObjectName("sectionCaption")
        logo_box.addWidget(caption)
        logo_box.addWidget(self.logo)
        details.addLayout(logo_box)

        self.problems = QLabel()
        self.problems.setObjectName("problemText")
        self.problems.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("primaryButton")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        self.row_notice = RowNotice()  # another workstation's change to it, while open
        self.row_notice.watch(database, mark, parent)
        layout.addWidget(self.row_notice)
        layout.addWidget(heading)
        layout.addWidget(self.texts)
        layout.addLayout(details)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.texts.set_value("name", stored.name)
        self.texts.set_value("short_name", stored.short_name)
        self.sector.setCurrentIndex(max(self.sector.findData(Sector(stored.sector).value), 0))
        self.country.set_code(stored.country)
        self.logo.set_value(stored.logo if isinstance(stored.logo, bytes) else None)
        self._logo_problem = ""
        self.texts.changed.connect(self._on_texts_changed)
        self.country.editTextChanged.connect(self._on_country_edit_text_changed)
        self.logo.changed.connect(self._on_logo_changed)
        self.logo.refused.connect(self._on_logo_refused)
        self.setWindowTitle(_("Edit organisation") if organisation_id is not None else _("Add organisation"))
        self.resize(960, 420)
        self._validate()
        self.texts.edit("name", "en").setFocus()

    def organisation_data(self) -> OrganisationData:
        return OrganisationData(
            name=self.texts.value("name"),
            short_name=self.texts.value("short_name"),
            sector=Sector(self.sector.currentData()),
            country=self.country.code(),
            logo=self.logo.value() if self.logo.changed_by_user else KEEP,
        ).cleaned()

    def report(self) -> Report:
        with self._database.read() as session:
            return validate_organisation_names(session, self.organisation_data(), self._organisation_id)

    def _validate(self) -> None:
        report = self.report()
        errors = {p.field: p.message for p in report.errors}
        mark_invalid(self.country, errors.get("country"))
        for key in ("name", "short_name"):
            for lang in ("en", "ru", "kk"):
                fallback = errors.get("name") if key == "name" and lang == "en" else None
                message = errors.get(f"{key}.{lang}") or fallback
                mark_invalid(self.texts.edit(key, lang), message)
        messages = [p.message for p in report.errors]
        if self._logo_problem:
            messages.append(self._logo_problem)
        self.problems.setText("\n".join(messages))
        self.problems.setVisible(bool(messages))
        self.save_button.setEnabled(report.is_valid)

    def _on_texts_changed(self) -> None:
        self._validate()

    def _on_country_edit_text_changed(self, _text: str) -> None:
        self._validate()

    def _on_logo_changed(self) -> None:
        self._logo_problem = ""
        self._validate()

    def _on_logo_refused(self, message: str) -> None:
        self._logo_problem = message
        self._validate()

    def accept(self) -> None:
        """Make the edit (``save``) and close once it landed; else stay open as it is."""
        if self.save.run():
            super().accept()

    def _on_buttons_accepted(self) -> None:
        if self.report().is_valid:
            self.accept()
