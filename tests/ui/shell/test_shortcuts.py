"""The window's shortcuts work while a text field has the focus (desktop/ui/shell/shortcuts.py),
and Help → Keyboard Shortcuts lists them (desktop/ui/shell/help.py).

On X11 desktops a ``QLineEdit`` accepts the shortcut override of Ctrl+E (end of line), Ctrl+K
and Ctrl+U, so File → Export attendees… (Ctrl+E) did nothing in the Registrations search and
never on the Desk. The offscreen platform the tests run on has Windows' keys, where the
field takes none of these; so the tests give each field the X11 behaviour, made worse:
``TakesEveryCommandKey`` accepts the override of every key with Ctrl, Alt or Meta. Every
window shortcut must still fire, except the keys a text field owns (its own editing) and
the keys a section claims for itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoCommand
from PySide6.QtWidgets import QDialog, QLineEdit, QMenu, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.shell.main_window import AGENDA, DESK, PEOPLE, REGISTRATIONS, MainWindow
from desktop.ui.shell.shortcuts import TEXT_FIELD_KEYS

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise|grabbing)")

COMMAND = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier

FIELD_KEEPS = {"Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y"}
"""Window shortcuts a text field keeps: Edit → Undo and Redo, which in a field undo and redo
its typing. (Ctrl+A, Ctrl+C, Ctrl+X, Ctrl+V are the field's too; the window binds none of them.)"""

SECTION_CLAIMS = {AGENDA: {"Ctrl+N"}, PEOPLE: {"Ctrl+N"}}
"""Window shortcuts a section takes while the focus is in it: Ctrl+N adds in the section
(a session or item; a person or organisation) instead of File → New database."""

FIELD_SECTIONS = (PEOPLE, REGISTRATIONS, DESK)
"""The sections with a text field on their face (the Agenda's fields are in its dialogs)."""


class TakesEveryCommandKey(QObject):
    """What a text field is on X11 (Ctrl+E, Ctrl+K, Ctrl+U), and more: it accepts the shortcut
    override of every key with Ctrl, Alt or Meta. Plain keys (F1, F5, F11) it leaves alone,
    as ``QLineEdit`` does."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.modifiers() & COMMAND:  # type: ignore[attr-defined]
            event.accept()
        return False


def portable(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def menu_actions(window: MainWindow) -> Iterator[QAction]:
    """Every action of the window's menus, submenus included."""
    def walk(menu: QMenu) -> Iterator[QAction]:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                yield from walk(submenu)
            elif not action.isSeparator():
                yield action

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            yield from walk(menu)


def counted(window: MainWindow) -> dict[str, list[str]]:
    """The window's menu actions with shortcuts, their own work cut off (the file dialogs,
    Quit): each records the keys that triggered it. Returns {key: [what fired]}."""
    fired: dict[str, list[str]] = {}
    for action in menu_actions(window):
        if not action.shortcuts():
            continue
        try:
            action.triggered.disconnect()
        except (RuntimeError, TypeError):
            pass
        action.triggered.connect(lambda _checked=False, a=action: fired.setdefault("last", []).append(a.text()))
    return fired


def press(qtbot: QtBot, widget: QWidget, sequence: QKeySequence) -> None:
    combination = sequence[0]
    qtbot.keyClick(widget, combination.key(), combination.keyboardModifiers())


def focused_field(qtbot: QtBot, window: MainWindow, section: int) -> QLineEdit:
    """The first text field on the face of ``section``, with the focus and X11's appetite."""
    window.show_section(section)
    page = window.page(section)
    field = next(f for f in page.findChildren(QLineEdit) if f.isVisible() and f.isEnabled()
                 and f.focusPolicy() != Qt.FocusPolicy.NoFocus)
    field.installEventFilter(TakesEveryCommandKey(field))
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    return field


@pytest.mark.parametrize("section", FIELD_SECTIONS, ids=lambda s: ["agenda", "people", "registrations", "desk"][s])
def test_every_window_shortcut_fires_from_a_text_field(window: MainWindow, qtbot: QtBot, section: int) -> None:
    fired = counted(window)
    field = focused_field(qtbot, window, section)
    checked: list[str] = []
    for action in menu_actions(window):
        if not action.isEnabled():
            continue
        for sequence in action.shortcuts():
            key = portable(sequence)
            if key in FIELD_KEEPS or key in SECTION_CLAIMS.get(section, set()):
                continue
            fired.pop("last", None)
            press(qtbot, field, sequence)
            assert fired.get("last") == [action.text()], f"{key} ({action.text()}) did nothing in the field"
            assert field.hasFocus()
            checked.append(key)
    assert "Ctrl+E" in checked and "Ctrl+I" in checked and "F5" in checked  # the list is not empty by mistake


def test_the_desks_own_keys_fire_from_its_scan_field(window: MainWindow, qtbot: QtBot) -> None:
    field = focused_field(qtbot, window, DESK)
    page = window.desk_page
    shortcuts = [s for s in page.findChildren(QShortcut) if s.context() != Qt.ShortcutContext.WidgetShortcut]
    assert len(shortcuts) == 4
    for shortcut in shortcuts:
        hits: list[int] = []
        shortcut.activated.disconnect()
        shortcut.activated.connect(lambda h=hits: h.append(1))
        press(qtbot, field, shortcut.key())
        assert hits == [1], shortcut.whatsThis()


def test_the_field_keeps_its_own_undo(window: MainWindow, qtbot: QtBot) -> None:
    """Ctrl+Z in the search undoes the typing there, not the window's last edit."""
    window.undo_stack.push(QUndoCommand("an edit"))
    fired = counted(window)
    field = focused_field(qtbot, window, REGISTRATIONS)
    qtbot.keyClicks(field, "abc")
    press(qtbot, field, QKeySequence("Ctrl+Z"))
    assert field.text() == "" and "last" not in fired
    assert window.undo_stack.index() == 1


def test_a_section_keeps_the_key_it_claims(window: MainWindow, qtbot: QtBot) -> None:
    """Ctrl+N in the People search adds a person, and does not make a new database."""
    fired = counted(window)
    field = focused_field(qtbot, window, PEOPLE)
    press(qtbot, field, QKeySequence("Ctrl+N"))
    assert "last" not in fired
    dialog = window.people_page.person_dialog
    assert isinstance(dialog, QDialog) and dialog.isVisible()
    dialog.reject()


def test_the_shortcuts_list_is_built_from_the_actions(window: MainWindow) -> None:
    dialog = window.show_shortcuts()
    try:
        rows = dialog.rows()
        listed = {(group, what): keys for group, what, keys in rows}
        native = QKeySequence.SequenceFormat.NativeText
        # Every menu shortcut is listed, with the keys the action has now.
        for action in menu_actions(window):
            for sequence in action.shortcuts():
                assert any(sequence.toString(native) in keys.split(", ") for keys in listed.values()), action.text()
        assert listed[("File", "Export attendees")] == "Ctrl+E"
        # Sections: their actions, the desk's own shortcuts, and the keys they claim.
        assert listed[("Desk", "Reprint badge")] == "Ctrl+R"
        assert listed[("Desk", "Walk-in")] == "Ctrl+Shift+W"
        assert listed[("Registrations", "Find")] == "Ctrl+F"
        assert listed[("People", "Add person / Add organisation")] == "Ctrl+N"
        # A shortcut given to an action later shows up: the list is not written by hand.
        window.refresh_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+Shift+R")])
    finally:
        dialog.close()
    again = window.show_shortcuts()
    assert ("View", "Refresh", "F5, Ctrl+Shift+R") in again.rows()
    again.close()


def test_text_field_keys_are_the_editing_ones() -> None:
    """The exceptions, spelled out: a field keeps select-all, copy/cut/paste and its own undo."""
    keys = {portable(k) for k in TEXT_FIELD_KEYS}
    assert {"Ctrl+A", "Ctrl+C", "Ctrl+X", "Ctrl+V", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y"} <= keys
    assert FIELD_KEEPS <= keys
    assert not keys & {"Ctrl+E", "Ctrl+I", "Ctrl+O", "Ctrl+P", "Ctrl+Q", "Ctrl+N", "Ctrl+R"}
