"""The choice of how badges and name cards write people's names (``db.models.NameForm``),
offered by the event dialog (the event's setting) and the print dialog (for one print,
starting from the event's) alike."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from db.models import NameForm
from desktop.core import vocabulary
from desktop.core.language import _


def name_form_combo(parent: QWidget | None = None) -> QComboBox:
    """A combo box of the name forms (the form's value as each item's data)."""
    combo = QComboBox(parent)
    for form in NameForm:
        combo.addItem(vocabulary.name_form(form), form.value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setToolTip(_("How badges and name cards write names: given name and surname "
                       "(“Alexey Krutikov”), or the full name as lists in the printed language "
                       "write it (in Russian and Kazakh the surname first, with the patronymic: "
                       "“Крутиков Алексей Сергеевич”)"))
    return combo

