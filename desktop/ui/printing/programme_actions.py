"""File → Print Programme… (Ctrl+P) and File → Export Calendar (.ics)…: the main window's actions.

A light module: the window makes the actions at start-up, and the dialog and the calendar
export (``desktop.ui.printing.programme_dialog``, with ``desktop.exports`` behind it) load when an
action is first triggered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence

from desktop.core.language import _, n_
from desktop.ui.shell.window import Window

if TYPE_CHECKING:
    from desktop.ui.printing.programme_dialog import ProgrammeDialog


class ProgrammeActions(QObject):
    """The window's File → Print Programme… (Ctrl+P) and Export Calendar (.ics)… actions,
    enabled while the window shows an event."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self._window = window
        self.print_action = QAction(_("Print &Programme…"), window)
        self.print_action.setShortcut(QKeySequence("Ctrl+P"))
        self.print_action.setStatusTip(_("Print the event's programme in one language or two side by side"))
        self.print_action.triggered.connect(self._on_print_action_triggered)
        self.calendar_action = QAction(_("Export &Calendar (.ics)…"), window)
        self.calendar_action.setStatusTip(_("Save the agenda as a calendar file, one entry per item"))
        self.calendar_action.triggered.connect(self._on_calendar_action_triggered)
        self.dialog: ProgrammeDialog | None = None
        window.event_changed.connect(self._on_window_event_changed)
        self._on_window_event_changed(0)

    def _settings(self) -> QSettings:
        return self._window.settings

    def _on_window_event_changed(self, _event_id: int) -> None:
        has_event = self._window.detail is not None
        self.print_action.setEnabled(has_event)
        self.calendar_action.setEnabled(has_event)

    def _on_print_action_triggered(self) -> None:
        from desktop.ui.printing.programme_dialog import ProgrammeDialog

        detail = self._window.detail
        if detail is None:
            return
        self.dialog = ProgrammeDialog(self._window.database, detail.summary.id, self._window.event_bar.language,
                                      self._window, self._settings())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(self._on_dialog_destroyed)
        self.dialog.open()

    def _on_dialog_destroyed(self, *_: Any) -> None:
        self.dialog = None

    def _on_calendar_action_triggered(self) -> None:
        from desktop.ui.printing.programme_dialog import export_calendar

        detail = self._window.detail
        if detail is None:
            return
        done = export_calendar(self._window, self._window.database, detail.summary.id,
                               self._window.event_bar.language, self._settings())
        if done is not None:
            from desktop.core import formats

            path, count = done
            # Translators: {path} is the file written; {n} a number of calendar entries.
            self._window.show_file_written(
                n_("Calendar with {n} entry written to {path}", "Calendar with {n} entries written to {path}",
                   count).format(n=formats.number(count), path=path), path)
