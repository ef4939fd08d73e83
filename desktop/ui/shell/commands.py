"""The skeleton every undo command of the database shares (people, organisations, events).

A command is *run* once before it is pushed (``run_first``), so that an edit the database
refuses is reported and never reaches the stack; the stack's first ``redo`` then does
nothing. Later ``undo``/``redo`` calls run the command's steps again, each in one
transaction. When an undo or redo cannot be done (another desk changed the rows
meanwhile), the user is told and the command is dropped from the stack (``setObsolete``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session as OrmSession

from db.engine import Database

# What may go wrong in a command and is told to the user (validation, rows gone, rows in
# use, restore conflicts, the database itself).
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (ValueError, LookupError, RuntimeError, SQLAlchemyError)

FailedCallback = Callable[[str, str], None]  # title, sentence


def error_sentence(exc: BaseException) -> str:
    """The first line of the exception's message, with a capital first letter."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message[:1].upper() + message[1:]


class DatabaseCommand(QUndoCommand):
    """An edit of the database, undoable; subclasses give ``_do`` and ``_undo``, each
    returning what changed (for the views).

    ``changed`` is called with that after every successful run (first, undo, redo);
    ``failed`` with a title and a sentence when a run fails (the transaction is rolled back).
    """

    def __init__(self, text: str, database: Database, changed: Callable[[Any], None],
                 failed: FailedCallback) -> None:
        super().__init__(text)
        self._database = database
        self._changed = changed
        self._failed = failed
        self._skip_redo = False

    # -- the stack's side ---------------------------------------------------------------

    def run_first(self) -> bool:
        """Do the edit now, before it is pushed; False (and the user told) when it failed."""
        if not self._run(self._do, "Cannot save the change"):
            return False
        self._skip_redo = True
        return True

    def redo(self) -> None:
        if self._skip_redo:  # push() calls redo(): the edit was made by run_first()
            self._skip_redo = False
            return
        if not self._run(self._do, f"Cannot redo “{self.text()}”"):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self._run(self._undo, f"Cannot undo “{self.text()}”"):
            self.setObsolete(True)

    def _run(self, step: Callable[[OrmSession], Any], title: str) -> bool:
        try:
            with self._database.write() as session:
                change = step(session)
        except EXPECTED_ERRORS as exc:
            self._failed(title, error_sentence(exc))
            return False
        self._changed(change)
        return True

    # -- the edit -------------------------------------------------------------------------

    def _do(self, session: OrmSession) -> Any:
        raise NotImplementedError

    def _undo(self, session: OrmSession) -> Any:
        raise NotImplementedError


__all__ = ["EXPECTED_ERRORS", "DatabaseCommand", "FailedCallback", "error_sentence"]
