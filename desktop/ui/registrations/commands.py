"""Undo commands for the registrations of an event (Orange's way: a command changes the data
through ``desktop.core.registrations``, one transaction each, then the views refresh).

An edit is made before its command is pushed (the core call returns what undoing it needs),
so an edit the database refuses is told to the user and never reaches the stack; the
stack's first ``redo`` then does nothing. When a later undo or redo cannot be done (another
desk removed the rows meanwhile), the user is told and the command is dropped from the stack
(``setObsolete``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from desktop.core.registration_edit import (
    FieldChange,
    Registered,
    RegistrationError,
    Removed,
    apply_values,
    remove_registrations,
    restore_registered,
    restore_removed,
    unregister,
)

# What may go wrong in an undo or redo and is told to the user.
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (RegistrationError, ValueError, SQLAlchemyError)

ChangedCallback = Callable[[], None]
FailedCallback = Callable[[str, str], None]  # title, sentence


def error_sentence(exc: BaseException) -> str:
    """The first line of an error, as a sentence."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message[:1].upper() + message[1:]


class RegistrationCommand(QUndoCommand):
    """An edit already made; ``undo``/``redo`` call core again. Subclasses give
    ``_undo`` and ``_redo``; ``changed`` runs after each, ``failed`` when one fails."""

    def __init__(self, text: str, database: Database, changed: ChangedCallback,
                 failed: FailedCallback) -> None:
        super().__init__(text)
        self._database = database
        self._changed = changed
        self._failed = failed
        self._first = True

    def redo(self) -> None:
        if self._first:  # push() calls redo(): the edit has been made already
            self._first = False
            return
        self._run(self._redo, f"Cannot redo “{self.text()}”")

    def undo(self) -> None:
        self._run(self._undo, f"Cannot undo “{self.text()}”")

    def _run(self, step: Callable[[], None], title: str) -> None:
        try:
            step()
        except EXPECTED_ERRORS as exc:
            self.setObsolete(True)
            self._failed(title, error_sentence(exc))
        self._changed()

    def _undo(self) -> None:
        raise NotImplementedError

    def _redo(self) -> None:
        raise NotImplementedError


class FieldChangeCommand(RegistrationCommand):
    """Status, category or details of one or many registrations (``set_status`` & co.)."""

    def __init__(self, text: str, database: Database, change: FieldChange,
                 changed: ChangedCallback, failed: FailedCallback) -> None:
        super().__init__(text, database, changed, failed)
        self.change = change

    def _undo(self) -> None:
        apply_values(self._database, self.change.before)

    def _redo(self) -> None:
        apply_values(self._database, self.change.after)


class RegisterCommand(RegistrationCommand):
    """Someone registered (and added to the roster, when new)."""

    def __init__(self, text: str, database: Database, registered: Registered,
                 changed: ChangedCallback, failed: FailedCallback) -> None:
        super().__init__(text, database, changed, failed)
        self.registered = registered

    def _undo(self) -> None:
        unregister(self._database, self.registered)

    def _redo(self) -> None:
        self.registered = restore_registered(self._database, self.registered)


class RemoveCommand(RegistrationCommand):
    """Registrations removed (the people stay in the roster)."""

    def __init__(self, text: str, database: Database, removed: Removed,
                 changed: ChangedCallback, failed: FailedCallback) -> None:
        super().__init__(text, database, changed, failed)
        self.removed = removed

    def _undo(self) -> None:
        self.removed = restore_removed(self._database, self.removed)

    def _redo(self) -> None:
        self.removed = remove_registrations(self._database, self.removed.ids)


__all__ = ["FieldChangeCommand", "RegisterCommand", "RemoveCommand", "RegistrationCommand", "error_sentence"]
