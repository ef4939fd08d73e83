"""The palette (desktop/ui/shell/style.py): a control that cannot be used looks so."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.shell import style
from desktop.ui.shell.main_window import DESK, MainWindow

# The offscreen platform says so when a dialog or a menu is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise|grabbing)")

TEXT_ROLES = (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText,
              QPalette.ColorRole.HighlightedText)


def darkest_ink(widget: QWidget) -> int:
    """The lightness (0 black … 255 white) of the darkest pixel of ``widget`` as drawn."""
    image = widget.grab().toImage()
    return min(QColor(image.pixel(x, y)).lightness()
               for y in range(0, image.height(), 1) for x in range(0, image.width(), 1))


@pytest.mark.parametrize("role", TEXT_ROLES, ids=lambda r: r.name)
def test_disabled_text_differs_from_active(styled_app: QApplication, role: QPalette.ColorRole) -> None:
    palette = styled_app.palette()
    active = palette.color(QPalette.ColorGroup.Active, role)
    disabled = palette.color(QPalette.ColorGroup.Disabled, role)
    assert disabled != active
    if role is not QPalette.ColorRole.HighlightedText:  # ink on white: the disabled one is paler
        assert disabled.lightness() > active.lightness() + 60
    assert disabled == QColor(style.FAINT if role is not QPalette.ColorRole.HighlightedText else style.MUTED)


def test_the_desks_disabled_buttons_are_drawn_grey(window: MainWindow) -> None:
    """Before any check-in at this desk, Undo and Reprint cannot be used: their text is
    drawn paler than the Walk-in button's beside them."""
    window.show_section(DESK)
    page = window.desk_page
    assert not page.undo_button.isEnabled() and not page.reprint_button.isEnabled()
    assert page.walk_in_button.isEnabled()
    enabled = darkest_ink(page.walk_in_button)
    for button in (page.undo_button, page.reprint_button):
        assert darkest_ink(button) > enabled + 60, button.text()


def test_disabled_menu_items_are_drawn_grey(window: MainWindow) -> None:
    """Edit → Redo with nothing to redo: its text is paler than Undo's after an edit."""
    from PySide6.QtGui import QUndoCommand

    window.undo_stack.push(QUndoCommand("an edit"))
    assert window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    menu = window.edit_menu
    menu.popup(window.mapToGlobal(window.rect().center()))
    try:
        image = menu.grab().toImage()
        undo, redo = menu.actionGeometry(window.undo_action), menu.actionGeometry(window.redo_action)

        def ink(rect) -> int:  # type: ignore[no-untyped-def]
            return min(QColor(image.pixel(x, y)).lightness()
                       for y in range(rect.top(), rect.bottom()) for x in range(rect.left(), rect.right()))

        assert ink(redo) > ink(undo) + 60
    finally:
        menu.hide()
