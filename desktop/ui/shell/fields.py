"""Editing widgets the person and organisation dialogs share.

* ``LocalTextGrid`` — per-language texts side by side (English, Russian, Kazakh), one row per
  field; a language left empty while another has text is flagged (amber frame, a
  placeholder and a tooltip saying what is shown in its place).
* ``PhotoField`` — a picture (PNG or JPEG) with Choose…/Remove, shown scaled.
* ``CountryBox`` — an editable combo of ISO countries ("Kazakhstan (KZ)") with a completer.
* ``mark_invalid`` — the red frame of a field with an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from db.types import LANGUAGES
from desktop.core import formats, vocabulary
from desktop.core.checks import COUNTRY_CODES, MAX_PHOTO_BYTES, ImageError, image_info
from desktop.core.collation import sorted_texts
from desktop.core.countries import country_name
from desktop.core.language import N_, _, interface_language
from desktop.ui.shell import style

# Frames for flagged and invalid fields; set as the dialogs' own style sheet.
FIELD_STYLE = f"""
QLineEdit[missing="true"], QPlainTextEdit[missing="true"] {{
    border: 1px solid #d9a441; background: #fffaf0;
}}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"] {{
    border: 1px solid #c0392b; background: #fff5f4;
}}
QPushButton#primaryButton:disabled {{ background: #a9b9d0; border-color: #a9b9d0; color: #f4f6f9; }}
QLabel#problemText {{ color: #b03a2e; }}
QLabel#warningText {{ color: #8a6100; }}
QLabel#languageHeader {{ color: {style.MUTED}; font-weight: 600; }}
QLabel#photoFrame {{ border: 1px solid {style.LINE}; background: {style.CANVAS}; color: {style.FAINT}; }}
QLabel#hint {{ color: {style.MUTED}; }}
"""


def set_flag(widget: QWidget, name: str, on: bool) -> None:
    """Set a boolean style property and re-polish when it changed."""
    if bool(widget.property(name)) == on:
        return
    widget.setProperty(name, on)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def mark_invalid(widget: QWidget, message: str | None) -> None:
    """Frame ``widget`` red with ``message`` as its tooltip, or clear both."""
    set_flag(widget, "invalid", bool(message))
    widget.setToolTip(message or "")


_TextEdit = QLineEdit | QPlainTextEdit


def _text_of(edit: _TextEdit) -> str:
    return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()


def _set_text(edit: _TextEdit, value: str) -> None:
    if isinstance(edit, QLineEdit):
        edit.setText(value)
        edit.setCursorPosition(0)
    else:
        edit.setPlainText(value)


NO_TEXT_YET: Mapping[str, str] = {
    "en": N_("No English text yet"), "ru": N_("No Russian text yet"), "kk": N_("No Kazakh text yet"),
}
"""A per-language field's placeholder while it is empty (translated where shown)."""
SHOWN_INSTEAD: Mapping[str, str] = {
    "en": N_("the English text is shown in its place"), "ru": N_("the Russian text is shown in its place"),
    "kk": N_("the Kazakh text is shown in its place"),
}


def language_heading(lang: str) -> str:
    """A language's name as a column's heading: "Russian", "Русский" (the vocabulary's word
    with a capital)."""
    word = vocabulary.language(lang)
    return word[:1].upper() + word[1:]


class LocalTextGrid(QWidget):
    """Per-language texts side by side: a header of languages, then one row per field.

    Signals:
        changed(): any text was edited.
    """

    changed = Signal()

    def __init__(self, languages: Sequence[str] = LANGUAGES, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._languages = tuple(languages)
        self._rows: dict[str, dict[str, _TextEdit]] = {}
        self._flagged: dict[str, bool] = {}
        self._labels: dict[str, str] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(6)
        for column, lang in enumerate(self._languages, start=1):
            header = QLabel(language_heading(lang))
            header.setObjectName("languageHeader")
            self._grid.addWidget(header, 0, column)
            self._grid.setColumnStretch(column, 1)

    def add_row(self, key: str, label: str, *, multiline: bool = False, flag_missing: bool = True,
                max_length: int | None = None) -> None:
        row = len(self._rows) + 1
        caption = QLabel(label)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop if multiline
                             else Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._grid.addWidget(caption, row, 0)
        edits: dict[str, _TextEdit] = {}
        for column, lang in enumerate(self._languages, start=1):
            edit: _TextEdit
            if multiline:
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setMinimumHeight(72)
                edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                edit.textChanged.connect(self._on_edit_text_changed)
            else:
                edit = QLineEdit()
                if max_length:
                    edit.setMaxLength(max_length)
                edit.textChanged.connect(self._on_edit_text_changed)
            edit.setObjectName(f"{key}_{lang}")
            edit.setAccessibleName(f"{label} ({vocabulary.language(lang)})")
            self._grid.addWidget(edit, row, column)
            edits[lang] = edit
        if multiline:
            self._grid.setRowStretch(row, 1)
        caption.setBuddy(edits[self._languages[0]])
        self._rows[key] = edits
        self._flagged[key] = flag_missing
        self._labels[key] = label
        self._update_flags(key)

    def edit(self, key: str, lang: str) -> _TextEdit:
        return self._rows[key][lang]

    def value(self, key: str) -> dict[str, str]:
        return {lang: _text_of(e).strip() for lang, e in self._rows[key].items() if _text_of(e).strip()}

    def set_value(self, key: str, texts: Mapping[str, str]) -> None:
        for lang, edit in self._rows[key].items():
            edit.blockSignals(True)
            _set_text(edit, texts.get(lang, ""))
            edit.blockSignals(False)
        self._update_flags(key)

    def missing(self, key: str) -> list[str]:
        """The languages flagged as missing in row ``key``."""
        texts = self.value(key)
        if not self._flagged[key] or not texts:
            return []
        return [lang for lang in self._languages if lang not in texts]

    def _update_flags(self, key: str) -> None:
        missing = set(self.missing(key))
        texts = self.value(key)
        for lang, edit in self._rows[key].items():
            flagged = lang in missing
            set_flag(edit, "missing", flagged)
            if flagged:
                shown = next((o for o in self._languages if o in texts), "")
                placeholder = _(NO_TEXT_YET[lang]) if lang in NO_TEXT_YET else ""
                edit.setPlaceholderText(placeholder)
                if shown in SHOWN_INSTEAD:
                    # Translators: "No Russian text yet: the English text is shown in its place".
                    edit.setToolTip(_("{missing}: {shown}").format(missing=placeholder, shown=_(SHOWN_INSTEAD[shown])))
                else:
                    edit.setToolTip(placeholder)
            else:
                edit.setPlaceholderText("")
                edit.setToolTip("")

    def _on_edit_text_changed(self, *_args: object) -> None:
        for key in self._rows:
            self._update_flags(key)
        self.changed.emit()


# The words of a picture field, one set per kind of picture (a person's photo, an
# organisation's logo), so that a translation can inflect the noun; translated where shown.
PICTURE_WORDS: dict[str, dict[str, str]] = {
    "photo": {
        "none": N_("No photo"),
        # Translators: {limit} is a number of megabytes.
        "choose tip": N_("Choose a PNG or JPEG photo (at most {limit} MB)"),
        "choose title": N_("Choose a photo"),
        "damaged": N_("The photo could not be read: the image is damaged."),
        # Translators: {size} and {limit} are numbers of megabytes ("6.2", "5").
        "large": N_("The photo is {size} MB; the most a photo may be is {limit} MB. Save it smaller and try again."),
    },
    "logo": {
        "none": N_("No logo"),
        "choose tip": N_("Choose a PNG or JPEG logo (at most {limit} MB)"),
        "choose title": N_("Choose a logo"),
        "damaged": N_("The logo could not be read: the image is damaged."),
        "large": N_("The logo is {size} MB; the most a logo may be is {limit} MB. Save it smaller and try again."),
    },
}


class PhotoField(QWidget):
    """A photo (or logo): a preview, Choose… and Remove.

    ``value()`` is the bytes to store or None; ``changed_by_user`` tells whether the user
    chose or removed one (else the stored photo is left alone).

    Signals:
        changed(): a picture was chosen or removed.
        refused(str): a chosen file cannot be used; carries the sentence why.
    """

    changed = Signal()
    refused = Signal(str)

    def __init__(self, what: str = "photo", size: QSize | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A QSize can be changed in place, so it is no default: each field has its own.
        size = QSize(132, 160) if size is None else QSize(size)
        self._what = what
        self._data: bytes | None = None
        self.changed_by_user = False
        self._size = size
        self.preview = QLabel(self._word("none"))
        self.preview.setObjectName("photoFrame")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedSize(size)
        self.choose_button = QPushButton(_("Choose…"))
        limit = formats.number(MAX_PHOTO_BYTES // 1024 // 1024)
        self.choose_button.setToolTip(self._word("choose tip").format(limit=limit))
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.info = QLabel()
        self.info.setObjectName("hint")
        self.info.setWordWrap(True)
        self.info.setMaximumWidth(size.width() + 40)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(buttons)
        layout.addWidget(self.info)
        layout.addStretch(1)
        self._show()

    def _word(self, key: str) -> str:
        return _(PICTURE_WORDS.get(self._what, PICTURE_WORDS["photo"])[key])

    def value(self) -> bytes | None:
        return self._data

    def set_value(self, data: bytes | None) -> None:
        """Show a stored picture (not a change by the user)."""
        self._data = data
        self.changed_by_user = False
        self._show()

    def set_from_bytes(self, data: bytes) -> bool:
        """Use ``data`` as if the user chose it; False (and ``refused``) when it cannot be."""
        try:
            image_info(data, what=self._what)
        except ImageError as exc:
            self.refused.emit(str(exc))
            return False
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            self.refused.emit(self._word("damaged"))
            return False
        self._data = data
        self.changed_by_user = True
        self._show()
        self.changed.emit()
        return True

    def load_file(self, path: str | os.PathLike[str]) -> bool:
        file = Path(path)
        try:
            if file.stat().st_size > MAX_PHOTO_BYTES:
                size = round(file.stat().st_size / 1024 / 1024, 1)
                self.refused.emit(self._word("large").format(size=formats.number(size),
                                                             limit=formats.number(MAX_PHOTO_BYTES // 1024 // 1024)))
                return False
            data = file.read_bytes()
        except OSError as exc:
            # Translators: {name} is a file's name, {reason} the system's words why.
            self.refused.emit(_("{name} cannot be read: {reason}.").format(name=file.name, reason=exc.strerror or exc))
            return False
        return self.set_from_bytes(data)

    def _show(self) -> None:
        self.remove_button.setEnabled(self._data is not None)
        if self._data is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self._word("none"))
            self.info.setText(_("PNG or JPEG"))
            return
        pixmap = QPixmap()
        if not pixmap.loadFromData(self._data):
            self.preview.setPixmap(QPixmap())
            self.preview.setText(_("Cannot show"))
            self.info.setText("")
            return
        inner = self._size - QSize(4, 4)
        self.preview.setPixmap(pixmap.scaled(inner, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))
        try:
            info = image_info(self._data, what=self._what)
            kind = "PNG" if info.mime == "image/png" else "JPEG"
            # Translators: {kind} is PNG or JPEG, {width} and {height} pixels, {size} kilobytes.
            self.info.setText(_("{kind} · {width} × {height} · {size} KB").format(
                kind=kind, width=info.width, height=info.height, size=formats.number(len(self._data) // 1024 + 1)))
        except ImageError:
            self.info.setText("")

    def _on_choose_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self._word("choose title"), str(Path.home()), _("Images (*.png *.jpg *.jpeg);;All files (*)"))
        if path:
            self.load_file(path)

    def _on_remove_button_clicked(self) -> None:
        self._data = None
        self.changed_by_user = True
        self._show()
        self.changed.emit()


_CODE_AT_END = re.compile(r"\(([A-Za-z]{2})\)\s*$")


class CountryBox(QComboBox):
    """An editable choice of country, shown as "Kazakhstan (KZ)"; ``code()`` gives "KZ"
    (or what was typed, for the validation to judge)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("", "")
        # Countries named and sorted in the interface language ("Казахстан" among the К).
        entries = sorted_texts(((country_name(code), code) for code in COUNTRY_CODES), lambda e: e[0],
                               interface_language())
        for name, code in entries:
            self.addItem(f"{name} ({code})", code)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText(_("Type a country or its code"))

    def code(self) -> str:
        typed = self.currentText().strip()
        found = _CODE_AT_END.search(typed)
        if found:
            return found.group(1).upper()
        if len(typed) == 2:
            return typed.upper()
        for i in range(1, self.count()):
            if self.itemText(i).split(" (")[0].casefold() == typed.casefold():
                return str(self.itemData(i))
        return typed

    def set_code(self, code: str) -> None:
        index = self.findData(code.upper()) if code else 0
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(code)
