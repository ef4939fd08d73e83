"""Keyboard helpers shared by the sections (light: loaded at start-up)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget


class ShortcutClaim(QObject):
    """Takes a key sequence for a section while the focus is inside it, even when the window
    has a shortcut of its own on it (Ctrl+N is also File → New database): the focus widget
    accepts the shortcut override, and the key press runs ``callback``."""

    def __init__(self, sequence: QKeySequence, callback: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._sequence = sequence
        self._callback = callback

    def watch(self, widgets: Sequence[QWidget]) -> None:
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            key_event = cast(QKeyEvent, event)
            if QKeySequence(key_event.keyCombination()) == self._sequence:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()
                else:
                    self._callback()
                return True
        return super().eventFilter(watched, event)
