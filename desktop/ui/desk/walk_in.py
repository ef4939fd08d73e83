"""The desk's walk-in form: the few fields that register someone who came without
registering (``desktop.core.desk.walk_in`` registers, gives a badge code and checks in)."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from desktop.core.people import NAME_MAX
from desktop.ui.registrations.dialogs import category_combo


class WalkInDialog(QDialog):
    """Family name, given name and patronymic — in that order, as the region writes names —
    organisation (completed from the organisations known), category, an optional e-mail,
    and whether to print the badge afterwards."""

    def __init__(self, organisations: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Walk-in")
        self.setMinimumWidth(460)
        intro = QLabel("Register someone who is not on the list: they are checked in at once "
                       "and get a new badge code.")
        intro.setWordWrap(True)
        self.family = QLineEdit()
        self.family.setPlaceholderText("e.g. Sarsenbayeva")
        self.given = QLineEdit()
        self.given.setPlaceholderText("e.g. Aliya")
        self.patronymic = QLineEdit()
        self.patronymic.setPlaceholderText("optional, e.g. Nurlanovna")
        for edit in (self.family, self.given, self.patronymic):
            edit.setMaxLength(NAME_MAX)
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText("start typing: known organisations are offered")
        completer = QCompleter(sorted(set(organisations), key=str.casefold), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        self.organisation.setCompleter(completer)
        self.category = category_combo(Category.PARTICIPANT)
        self.email = QLineEdit()
        self.email.setPlaceholderText("optional: finds them if they are in the roster already")
        self.print_badge = QCheckBox("Print the badge after check-in")
        self.print_badge.setChecked(True)
        self.problem = QLabel()
        self.problem.setObjectName("formProblem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Family name:", self.family)
        form.addRow("&Given name:", self.given)
        form.addRow("&Patronymic:", self.patronymic)
        form.addRow("&Organisation:", self.organisation)
        form.addRow("&Category:", self.category)
        form.addRow("&E-mail:", self.email)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = QPushButton("Register and check in")
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

    def set_typed_name(self, typed: str) -> None:
        """Fill the names from what was typed at the desk, read as the region writes names:
        family name, given name, patronymic ("Sarsenbayeva Aliya Nurlanovna")."""
        parts = typed.split()
        self.family.setText(parts[0] if parts else "")
        self.given.setText(parts[1] if len(parts) > 1 else "")
        self.patronymic.setText(" ".join(parts[2:]))

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
            self.problem.setText("Type a family name or a given name.")
            self.family.setFocus()
            return
        if wrong := email_problem(self.email.text()):
            self.problem.setText(wrong)
            self.email.setFocus()
            return
        self.accept()
