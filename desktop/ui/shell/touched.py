"""Which fields of a form the user has touched: a field's error is shown only then.

A new form (New session, New item, Add person) is empty, so it is invalid; framing its
fields in red and listing "Give the session a title" before anything is typed scolds the
user for what they have not done yet. A field counts as touched once the user has changed
it or left it; after the user tried to save, every error shows. Save stays disabled while
there are errors, and its tooltip says what is still missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QWidget

from desktop.core.checks import Problem
from desktop.core.language import N_, _

# Translators: the tooltip of a disabled Save; {problems} are the form's problems, one sentence each.
SAVE_NEEDS = N_("Not yet: {problems}")

# Focus lost to another application or to a popup (a completer, a combo's list): the user
# has not left the field.
_NOT_LEAVING = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)


class TouchedFields(QObject):
    """Tracks the fields (by the names validation reports use) the user has touched.

    Signals:
        touched(str): a field was touched for the first time; carries its name.
    """

    touched = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._touched: set[str] = set()
        self._watched: dict[QObject, tuple[str, ...]] = {}
        self._tracked: set[str] = set()
        self.tried = False

    def watch(self, widget: QWidget, *fields: str) -> None:
        """``widget`` touches ``fields`` when the user leaves it (its own or a child's focus
        out). Changes are reported with ``touch`` from the form's own change handlers."""
        self._watched[widget] = tuple(fields)
        self._tracked.update(fields)
        widget.installEventFilter(self)
        if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
            line = widget.lineEdit()
            assert line is not None
            self._watched[line] = tuple(fields)
            line.installEventFilter(self)

    def touch(self, *fields: str) -> None:
        for name in fields:
            if name not in self._touched:
                self._touched.add(name)
                self.touched.emit(name)

    def try_save(self) -> None:
        """The user asked to save: every error shows from now on."""
        self.tried = True

    def is_touched(self, field: str) -> bool:
        return field in self._touched

    def shows(self, field: str) -> bool:
        """Whether an error of ``field`` is shown: after the field was touched, after a try
        to save, and always for a field no widget stands for (it follows a choice made)."""
        return self.tried or field in self._touched or field not in self._tracked

    def shown(self, problems: Iterable[Problem]) -> list[Problem]:
        return [p for p in problems if self.shows(p.field)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in self._watched and isinstance(event, QFocusEvent) \
                and event.reason() not in _NOT_LEAVING:
            self.touch(*self._watched[watched])
        return super().eventFilter(watched, event)


def save_tooltip(problems: Iterable[Problem]) -> str:
    """The tooltip of a disabled Save: what is still missing, in the report's words."""
    messages = [p.message for p in problems]
    return _(SAVE_NEEDS).format(problems=" ".join(messages)) if messages else ""


__all__ = ["TouchedFields", "save_tooltip"]
