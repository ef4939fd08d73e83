"""The window's Event menu — New, Edit, Duplicate and Delete — and the partners' logos on the
event bar. Every change is one edit (``desktop.ui.events.commands``) run through the window's
``Edits``: it goes on the undo stack, and the window lists its events again and shows the
one the change is about (the new one after New and Duplicate, the first one left after
Delete, the one that was on show after an undo). A change the database refuses is told
by the window. The event dialog makes its edit on Save while still open
(``desktop.ui.shell.saving``): it closes once the edit landed, and stays open with the
user's input after a Cancel at "which value to keep?" or a refusal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from desktop.core import formats
from desktop.core.i18n import text
from desktop.core.language import _

if TYPE_CHECKING:
    # The dialogs and commands load when the menu is first used, not at start-up.
    from desktop.core.changes import RowRef
    from desktop.ui.shell.commands import Edit
    from desktop.ui.shell.window import Window


class EventActions(QObject):
    """The Event menu of ``window``. ``dialog`` is the event or duplicate dialog while one is
    open (tests fill it in and accept it)."""

    def __init__(self, window: Window, settings: QSettings | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self.dialog: QDialog | None = None
        self.menu = QMenu(_("E&vent"), window)
        self.new_action = self._action(_("&New Event…"), "Ctrl+Alt+N", self._on_new_action_triggered,
                                       _("Create an event: its titles, dates, rooms and partners"))
        self.edit_action = self._action(_("&Edit Event…"), "Ctrl+Shift+E", self._on_edit_action_triggered,
                                        _("Change the event's titles, dates, time zone, rooms and partners"))
        self.duplicate_action = self._action(_("D&uplicate Event…"), None, self._on_duplicate_action_triggered,
                                             _("Copy the event with its agenda as a template for new dates"))
        self.delete_action = self._action(_("&Delete Event…"), None, self._on_delete_action_triggered,
                                          _("Delete the event with its agenda and registrations"))
        self.menu.addAction(self.new_action)
        self.menu.addAction(self.edit_action)
        self.menu.addAction(self.duplicate_action)
        self.menu.addSeparator()
        self.menu.addAction(self.delete_action)
        window.event_changed.connect(self._on_window_event_changed)
        window.event_bar.language_changed.connect(self._on_event_bar_language_changed)
        self._update()

    def _action(self, label: str, shortcut: str | None, slot: object, tip: str) -> QAction:
        action = QAction(label, self._window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    # -- helpers --------------------------------------------------------------------------

    def _event_id(self) -> int | None:
        detail = self._window.detail
        return detail.summary.id if detail is not None else None

    def _update(self) -> None:
        has_event = self._event_id() is not None
        for action in (self.edit_action, self.duplicate_action, self.delete_action):
            action.setEnabled(has_event)
        self._show_logos()

    def _show_logos(self) -> None:
        event_id = self._event_id()
        logos = []
        if event_id is not None:  # (then the database is open: SQLAlchemy is loaded)
            from sqlalchemy.exc import SQLAlchemyError

            from desktop.core.events import partner_logos

            try:
                with self._window.database.read() as session:
                    logos = partner_logos(session, event_id, self._window.event_bar.language)
            except SQLAlchemyError:
                logos = []
        self._window.event_bar.set_logos([(p.logo, p.name, p.role) for p in logos])

    def _run(self, edit: Edit, message: str) -> bool:
        """Make the edit through the window (which shows the event it is about, or says why
        it failed); the message goes to the status bar when it was made."""
        if self._window.edits.run(edit, self._window.database, origin=self) is None:
            return False
        self._window.statusBar().showMessage(message, 8000)
        return True

    def _shown(self) -> RowRef | None:
        """The event on show (to show again after an undo), None when there is none."""
        from sqlalchemy.exc import SQLAlchemyError

        from desktop.core.event_edit import EventGone, event_ref

        event_id = self._event_id()
        if event_id is None:
            return None
        try:
            with self._window.database.read() as session:
                return event_ref(session, event_id)
        except (EventGone, SQLAlchemyError):
            return None

    def _title(self, event_id: int) -> str:
        from desktop.core.event_edit import load_event

        with self._window.database.read() as session:
            return load_event(session, event_id).display(self._window.event_bar.language)

    # -- slots ------------------------------------------------------------------------------

    def _on_window_event_changed(self, _event_id: int) -> None:
        self._update()

    def _on_event_bar_language_changed(self, _lang: str) -> None:
        self._show_logos()

    def _on_new_action_triggered(self) -> None:
        from desktop.ui.events.dialog import EventDialog

        dialog = EventDialog(self._window.database, self._window.event_bar.language, None, self._window,
                             self._settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save.make = self._save_new_dialog  # on Save, before it closes
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _save_new_dialog(self) -> bool:
        """The new event's Save, made while its dialog is open: whether it landed (the
        dialog closes then; after a refusal it stays open with the user's input)."""
        from desktop.ui.events import commands
        from desktop.ui.events.dialog import EventDialog

        dialog = self.dialog
        if not isinstance(dialog, EventDialog):
            return False
        edit = dialog.event_edit()
        return self._run(commands.new_event(edit, self._shown()),
                  _("Created “{title}”.").format(title=edit.settings.data.display(self._window.event_bar.language)))

    def _on_edit_action_triggered(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from desktop.core.errors import error_sentence
        from desktop.core.event_edit import EventGone
        from desktop.ui.events.dialog import EventDialog

        event_id = self._event_id()
        if event_id is None:
            return
        try:
            dialog = EventDialog(self._window.database, self._window.event_bar.language, event_id, self._window,
                                 self._settings)
        except (EventGone, SQLAlchemyError) as exc:
            QMessageBox.warning(self._window, _("Cannot open the event"), error_sentence(exc))
            self._window.load_event(None)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save.make = self._save_edit_dialog  # on Save, before it closes
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _save_edit_dialog(self) -> bool:
        """The event dialog's Save, made while it is open: whether it landed (the dialog
        closes then; after a Cancel at "which value to keep?" or a refusal it stays open)."""
        from desktop.ui.events import commands
        from desktop.ui.events.dialog import EventDialog

        dialog = self.dialog
        if not isinstance(dialog, EventDialog) or dialog.event_id is None:
            return False
        edit = dialog.event_edit()
        return self._run(commands.edit_event(dialog.event_id, edit, self._shown(), base=dialog.settings_base),
                  _("Saved “{title}”.").format(title=edit.settings.data.display(self._window.event_bar.language)))

    def _on_duplicate_action_triggered(self) -> None:
        from desktop.ui.events.dialog import DuplicateEventDialog

        event_id = self._event_id()
        detail = self._window.detail
        if event_id is None or detail is None:
            return
        title = text(detail.summary.title, self._window.event_bar.language) or _("Untitled event")
        dialog = DuplicateEventDialog(title, detail.summary.starts_on, detail.summary.ends_on, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setProperty("eventId", event_id)
        dialog.accepted.connect(self._on_duplicate_dialog_accepted)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _on_duplicate_dialog_accepted(self) -> None:
        from desktop.ui.events import commands
        from desktop.ui.events.dialog import DuplicateEventDialog

        dialog = self.dialog
        if not isinstance(dialog, DuplicateEventDialog):
            return
        event_id = int(dialog.property("eventId"))
        title = self._title(event_id)
        self._run(commands.duplicate_event(event_id, dialog.starts_on(), title, self._shown()),
                  _("Duplicated “{title}” to start on {date}.").format(
                      title=title, date=formats.date(dialog.starts_on())))

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None

    def _on_delete_action_triggered(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from desktop.core.errors import error_sentence
        from desktop.core.event_edit import EventGone
        from desktop.core.event_lifecycle import event_impact
        from desktop.ui.events import commands

        event_id = self._event_id()
        if event_id is None:
            return
        try:
            with self._window.database.read() as session:
                impact = event_impact(session, event_id, self._window.event_bar.language)
        except (EventGone, SQLAlchemyError) as exc:
            QMessageBox.warning(self._window, _("Cannot delete the event"), error_sentence(exc))
            return
        answer = QMessageBox.question(
            self._window, _("Delete event"),
            # Translators: {impact} is the sentence of what goes with the event; Edit → Undo names the menu item.
            _("{impact}\n\nYou can take this back with Edit → Undo while the window is open.").format(
                impact=impact.sentence()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._run(commands.delete_event(event_id, impact.title, self._shown()),
                  _("Deleted “{title}” (Ctrl+Z brings it back).").format(title=impact.title))


__all__ = ["EventActions"]
