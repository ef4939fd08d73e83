"""Keyboard helpers shared by the sections and the window (light: loaded at start-up).

* ``ShortcutClaim`` — a section takes a key the window also uses (Ctrl+N) while the focus
  is inside it.
* ``WindowKeysFirst`` — the window's shortcuts work while a text field has the focus. A
  ``QLineEdit`` accepts the shortcut override of every key it has a binding for, and on
  X11 desktops those include Emacs keys: Ctrl+E (end of line), Ctrl+K, Ctrl+U. So Ctrl+E
  (File → Export attendees…) did nothing in the Registrations search and never on the Desk,
  whose scan field always has the focus. The field keeps only the keys of ``TEXT_FIELD_KEYS``
  and plain typing; any other key goes to the shortcuts first, and to the field when no
  shortcut wants it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

CLAIMS_PROPERTY = "claimedKeys"
"""The dynamic property in which a widget lists the keys a ``ShortcutClaim`` takes on it."""

TEXT_FIELD_KEYS: tuple[QKeySequence, ...] = tuple(QKeySequence(keys) for keys in (
    "Ctrl+A",                                   # select all
    "Ctrl+C", "Ctrl+X", "Ctrl+V",               # copy, cut, paste
    "Ctrl+Insert", "Shift+Insert", "Shift+Del",  # the same, the older way
    "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y",         # undo and redo of the typing
    "Ctrl+Backspace", "Ctrl+Del",               # delete a word
    "Ctrl+Left", "Ctrl+Right", "Ctrl+Shift+Left", "Ctrl+Shift+Right",  # by words
    "Ctrl+Home", "Ctrl+End", "Ctrl+Shift+Home", "Ctrl+Shift+End",
))
"""Keys with Ctrl that a text field keeps even when the window has a shortcut on them: a
field's own editing (its undo is not the window's Undo). Keys without Ctrl, Alt or Meta —
typing, arrows, Home, End, Enter, Esc — are the field's too."""

_STANDARD_TEXT_KEYS = (
    QKeySequence.StandardKey.SelectAll, QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo,
)  # the same on the platform's own keys (Cmd on macOS)

_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)
_MODIFIER_MASK = (Qt.KeyboardModifier.ShiftModifier | _COMMAND_MODIFIERS)


def key_sequence(event: QKeyEvent) -> QKeySequence:
    """The key of ``event`` as a sequence (modifiers other than Shift, Ctrl, Alt, Meta dropped)."""
    return QKeySequence(event.key() | (event.modifiers() & _MODIFIER_MASK).value)


def is_text_field(widget: QObject | None) -> bool:
    """Whether ``widget`` is one where keys type text (line edits, spin and time boxes,
    text areas, editable combos)."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QLineEdit | QAbstractSpinBox | QTextEdit | QPlainTextEdit)


def text_field_keeps(event: QKeyEvent) -> bool:
    """Whether a text field keeps this key from the window's shortcuts (see ``TEXT_FIELD_KEYS``)."""
    modifiers = event.modifiers()
    if not modifiers & _COMMAND_MODIFIERS:
        return True
    if modifiers & Qt.KeyboardModifier.ControlModifier and modifiers & Qt.KeyboardModifier.AltModifier \
            and _typed_with_altgr(event):
        return True
    sequence = key_sequence(event)
    if sequence in TEXT_FIELD_KEYS:
        return True
    return any(event.matches(key) for key in _STANDARD_TEXT_KEYS)


def _typed_with_altgr(event: QKeyEvent) -> bool:
    """AltGr arrives as Ctrl+Alt on Windows: a key that typed another character than its own
    (AltGr+N gives "ń" on a Polish layout, AltGr+Q "@" on a German one) is typing, not a shortcut."""
    typed = event.text()
    if not typed or not typed.isprintable():
        return False
    key = event.key()
    return not 0x20 < key < 0x7F or typed.casefold() != chr(key).casefold()


def claimed_keys(widget: QObject) -> list[str]:
    value = widget.property(CLAIMS_PROPERTY)
    return [str(v) for v in value] if isinstance(value, list) else []


class ShortcutClaim(QObject):
    """Takes a key sequence for a section while the focus is inside it, even when the window
    has a shortcut of its own on it (Ctrl+N is also File → New database): the focus widget
    accepts the shortcut override, and the key press runs ``callback``."""

    def __init__(self, sequence: QKeySequence, callback: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._sequence = sequence
        self._callback = callback

    @property
    def sequence(self) -> QKeySequence:
        return self._sequence

    def watch(self, widgets: Sequence[QWidget]) -> None:
        key = self._sequence.toString(QKeySequence.SequenceFormat.PortableText)
        for widget in widgets:
            widget.installEventFilter(self)
            claims = claimed_keys(widget)
            if key not in claims:
                widget.setProperty(CLAIMS_PROPERTY, [*claims, key])

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


class WindowKeysFirst(QObject):
    """Lets the shortcuts of ``window`` through its text fields (see the module docstring).

    Each text field of the window that takes the focus gets this filter first in line: on
    a shortcut override of a key the field does not keep (and no section claims), the
    override is refused, so the shortcut map runs; when no shortcut matches, the key press
    still reaches the field."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and is_text_field(new) and new.window() is self._window:
            new.installEventFilter(self)  # again: a filter installed again moves to the front

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and is_text_field(watched) and not text_field_keeps(event):
            key = key_sequence(event).toString(QKeySequence.SequenceFormat.PortableText)
            if key not in claimed_keys(watched):
                event.ignore()
                return True
        return super().eventFilter(watched, event)


__all__ = ["CLAIMS_PROPERTY", "TEXT_FIELD_KEYS", "ShortcutClaim", "WindowKeysFirst", "is_text_field",
           "key_sequence", "text_field_keeps"]
