"""The merge dialog: two records side by side, which one is kept, and what the merged
record will hold (``desktop.core.merge`` decides; this shows its plan)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.language import N_, _
from desktop.core.merge import FieldChoice, MergePlan, plan_merge
from desktop.ui.shell import style

ModelIndex = QModelIndex | QPersistentModelIndex


class MergeModel(QAbstractTableModel):
    """The fields of two records: field, the kept record's value, the other's, the result.

    Fields empty in both records are left out. The value that goes into the result is in
    the accent colour; a different value that is dropped is struck through and muted.
    """

    FIELD, KEPT, OTHER, RESULT = range(4)
    HEADERS = (N_("Field"), N_("Kept record"), N_("Other record"), N_("Merged record"))  # translated when shown

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FieldChoice] = []

    def set_plan(self, plan: MergePlan | None) -> None:
        self.beginResetModel()
        self._rows = [c for c in plan.fields if c.source != "none"] if plan is not None else []
        self.endResetModel()

    def choice(self, row: int) -> FieldChoice:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return _(self.HEADERS[section])
        return None

    def _used(self, choice: FieldChoice, column: int) -> bool | None:
        """Whether the value in ``column`` goes into the result (None: nothing to say)."""
        if column == self.KEPT:
            return choice.source in ("kept", "both") if choice.kept else None
        if column == self.OTHER:
            return choice.source in ("other", "both") if choice.other else None
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        choice = self._rows[index.row()]
        column = index.column()
        value = (choice.label, choice.kept, choice.other, choice.result)[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(value.split()) if column else value
        if role == Qt.ItemDataRole.ToolTipRole:
            return value if column and value else None
        used = self._used(choice, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.FIELD:
                return QColor(style.MUTED)
            if used is True and choice.source != "both":
                return QColor(style.ACCENT)
            if used is False:
                return QColor(style.FAINT)
            return None
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            if column == self.RESULT:
                font.setBold(True)
                return font
            if used is False:
                font.setStrikeOut(True)
                return font
            return None
        return None


class MergeDialog(QDialog):
    """Merge two records of one person: choose which is kept, see the result, confirm.

    ``keep_id()`` and ``drop_id()`` are the choice when accepted.
    """

    def __init__(self, database: Database, first_id: int, second_id: int, lang: str = "en",
                 keep_first: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._lang = lang
        self._ids = (first_id, second_id)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(_("Merge two records"))

        heading = QLabel(_("Merge two records of the same person"))
        heading.setObjectName("pageTitle")
        heading.setFont(style.scaled_font(self.font(), 1.3, bold=True))
        explanation = QLabel(_(
            "The kept record keeps its values; each field it lacks is filled from the other record. "
            "All roles and registrations move to the kept record, and the other record is deleted. "
            "Edit → Undo takes the merge back."
        ))
        explanation.setWordWrap(True)
        explanation.setObjectName("pageSubtitle")

        with database.read() as session:
            self._plans = {
                True: plan_merge(session, first_id, second_id, lang),
                False: plan_merge(session, second_id, first_id, lang),
            }
        first, second = self._plans[True].keep_name, self._plans[True].drop_name
        # Translators: {name} is a person's name, {id} the record's number.
        self.keep_first_button = QRadioButton(_("Keep “{name}” (#{id})").format(name=first, id=first_id))
        self.keep_second_button = QRadioButton(_("Keep “{name}” (#{id})").format(name=second, id=second_id))
        group = QButtonGroup(self)
        group.addButton(self.keep_first_button)
        group.addButton(self.keep_second_button)
        (self.keep_first_button if keep_first else self.keep_second_button).setChecked(True)
        self.keep_first_button.toggled.connect(self._on_keep_first_button_toggled)
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.keep_first_button)
        choice_row.addSpacing(24)
        choice_row.addWidget(self.keep_second_button)
        choice_row.addStretch(1)

        self.model = MergeModel(self)
        self.view = QTableView()
        self.view.setObjectName("mergeTable")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(MergeModel.FIELD, QHeaderView.ResizeMode.ResizeToContents)
        for column in (MergeModel.KEPT, MergeModel.OTHER, MergeModel.RESULT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setObjectName("mergeSummary")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton(_("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("primaryButton")
        self.merge_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addLayout(choice_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(900, 620)
        self._show_plan()

    def plan(self) -> MergePlan:
        return self._plans[self.keep_first_button.isChecked()]

    def keep_id(self) -> int:
        return self.plan().keep_id

    def drop_id(self) -> int:
        return self.plan().drop_id

    def _show_plan(self) -> None:
        plan = self.plan()
        self.model.set_plan(plan)
        items = "".join(f"<li>{_escape(r.describe(self._lang))}</li>" for r in plan.registrations)
        heading = _("Roles and registrations:")
        self.summary.setText(
            f"<b>{_escape(heading)}</b> {_escape(plan.summary())}"
            + (f"<ul style='margin-top:4px'>{items}</ul>" if items else "")
        )
        # Translators: {name} is the kept record's name.
        self.merge_button.setText(_("&Merge into “{name}”").format(name=plan.keep_name.replace("&", "&&")))

    def _on_keep_first_button_toggled(self, _checked: bool) -> None:
        self._show_plan()


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
