"""What the menus and actions of the sections may ask of the main window, and the sections'
indices — a light module that does not import the window itself.

The window (``desktop.ui.shell.main_window.MainWindow``) assembles the sections and their
menus; they must not import it back (that made import cycles). They are given the window as
a ``Window``: the base class that declares its signals and the few members they use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow, QWidget

from desktop.core.language import NP_, p_

if TYPE_CHECKING:
    from db.engine import Database
    from desktop.core.events import EventDetail
    from desktop.ui.registrations.page import RegistrationsPage
    from desktop.ui.shell.commands import Edits
    from desktop.ui.shell.event_bar import EventBar

SECTIONS: tuple[tuple[str, str], ...] = (
    ("agenda", NP_("section", "Agenda")),
    ("people", NP_("section", "People")),
    ("registrations", NP_("section", "Registrations")),
    ("desk", NP_("section", "Desk")),
)
"""The sections, in the order of the navigation list: (key, title). The titles are
messages, shown as ``section_title(index)`` (in the interface language)."""
AGENDA, PEOPLE, REGISTRATIONS, DESK = range(len(SECTIONS))


def section_title(index: int) -> str:
    """The title of section ``index`` in the interface language ("Регистрации")."""
    return p_("section", SECTIONS[index][1])


class Window(QMainWindow):
    """The main window as its menus and actions see it; ``MainWindow`` is the one there is.

    Signals:
        database_changed(str): another database was opened; carries its label.
        event_changed(int): the event on show changed (0 when the database has none).
    """

    database_changed = Signal(str)
    event_changed = Signal(int)

    event_bar: EventBar
    edits: Edits
    """Where every edit goes: the undo stack, and ``data_changed`` after every change."""
    undo_stack: QUndoStack

    @property
    def database(self) -> Database:
        raise NotImplementedError

    @property
    def detail(self) -> EventDetail | None:
        """The event on show, or None when the database holds none."""
        raise NotImplementedError

    @property
    def settings(self) -> QSettings:
        """Where the window and its sections keep what they remember."""
        raise NotImplementedError

    @property
    def registrations_page(self) -> RegistrationsPage:
        raise NotImplementedError

    def current_section(self) -> int:
        raise NotImplementedError

    def refresh(self) -> None:
        """Read the event again from the database (after an edit, an import, another desk)."""
        raise NotImplementedError

    def load_event(self, event_id: int | None) -> None:
        """List the events again and show ``event_id`` (the first one when it is gone or None)."""
        raise NotImplementedError

    def show_file_written(self, message: str, path: Path) -> None:
        """Tell the user in the status bar that ``path`` was written (``message``, one
        sentence naming it), with a button that opens its folder."""
        raise NotImplementedError


def window_of(widget: QWidget | None) -> Window | None:
    """The main window ``widget`` is in, or shown over (a dialog's parent); None when none."""
    while widget is not None:
        if isinstance(widget, Window):
            return widget
        widget = widget.parentWidget()
    return None


def announce_file(widget: QWidget | None, message: str, path: Path) -> bool:
    """``Window.show_file_written`` on the main window of ``widget``; False when there is none."""
    window = window_of(widget)
    if window is None:
        return False
    window.show_file_written(message, Path(path))
    return True


__all__ = ["AGENDA", "DESK", "PEOPLE", "REGISTRATIONS", "SECTIONS", "Window", "announce_file", "section_title",
           "window_of"]
