"""The one way an edit becomes undoable, and the one signal after every change.

The contract (``desktop.core.changes``): a core edit takes a session and returns a
``Change``; ``revert`` takes it back and returns the inverse. Here, ``EditCommand`` is the
only undo command of the window: it runs the edit once before it is pushed (so an edit the
database refuses is told to the user and never reaches the stack; the stack's first
``redo`` then does nothing), and undo and redo are ``revert`` of the change and of its
inverse, each in one transaction. When an undo or redo cannot be done (another desk
changed the rows meanwhile) the user is told and the command is dropped (``setObsolete``).

``Edits`` owns the window's undo stack; the sections make an edit with ``Edits.run`` (a
command's words and a function of the session), and listen to ``Edits.data_changed``,
which fires after every run — first, undo, redo — with a ``Changed``: the change, which
tables it wrote, and what to select. The same signal will carry the changes other
workstations make. The command factories of the sections (``*/commands.py``) are small
functions that give a command its words and its core call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.language import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as OrmSession

    from db.engine import Database
    from desktop.core.changes import Change


# What may go wrong in an edit and is told to the user (validation, rows gone, rows in use,
# restore conflicts, the database itself); anything else is a bug and is not swallowed.
def expected_errors() -> tuple[type[BaseException], ...]:
    """The failures an edit may meet (SQLAlchemy is loaded by then: an edit needs the
    database, and the window is shown before the database is opened)."""
    from sqlalchemy.exc import SQLAlchemyError

    return (ValueError, LookupError, RuntimeError, SQLAlchemyError)


Make = Callable[["OrmSession"], "Change"]


@dataclass(frozen=True)
class Edit:
    """An edit not yet made, as a section's command factory gives it: its words on the
    Edit menu (“Undo Add session …”) and the core call that makes it. ``selected`` is what
    the section had selected (handed back in ``Changed.select`` after an undo);
    ``deletes`` says the edit removes what it is about (nothing to select after it)."""

    text: str
    make: Make
    selected: object | None = None
    deletes: bool = False


@dataclass(frozen=True)
class Changed:
    """What ``Edits.data_changed`` carries.

    ``change`` is the change as it now stands in the database's history (after an undo:
    the inverse, which redoes it); ``tables`` the tables it wrote; ``undone`` whether it was
    an undo; ``select`` what the section should select now: after the edit or its redo, its
    subject (a ``RowRef``; None after a deletion), after an undo what the section had
    selected when it was made (``Edit.selected``, as the section gave it); ``origin`` the
    object that made the edit (a section), None for changes made elsewhere.
    """

    change: Change
    undone: bool = False
    select: object | None = None
    origin: object | None = None

    @property
    def tables(self) -> frozenset[str]:
        return self.change.tables

    def touches(self, *tables: str) -> bool:
        return bool(self.change.tables.intersection(tables))


class EditCommand(QUndoCommand):
    """One undoable edit of the database (see the module's docstring)."""

    def __init__(self, edits: Edits, edit: Edit, database: Database, origin: object | None = None) -> None:
        super().__init__(edit.text)
        self._edits = edits
        self._database = database
        self._make = edit.make
        self._selected = edit.selected
        self._deletes = edit.deletes
        self._origin = origin
        self._undo: Change | None = None  # reverts the edit
        self._redo: Change | None = None  # reverts the undo
        self._skip_redo = False

    @property
    def change(self) -> Change | None:
        """The change the edit made (None until it ran)."""
        return self._undo

    def run_first(self) -> bool:
        """Do the edit now, before it is pushed; False (and the user told) when it failed."""
        from desktop.core.errors import error_sentence

        try:
            with self._database.write() as session:
                change = self._make(session)
        except expected_errors() as exc:
            self._edits.failed.emit(_("Cannot save the change"), error_sentence(exc))
            return False
        self._undo = change
        self._skip_redo = True
        if not change.is_empty:
            self._announce(change, undone=False)
        return True

    def redo(self) -> None:
        if self._skip_redo:  # push() calls redo(): the edit was made by run_first()
            self._skip_redo = False
            return
        assert self._redo is not None
        # Translators: a message box's title; {what} is the edit's words on the Edit menu ("Add Nurlanova").
        inverse = self._revert(self._redo, _("Cannot redo “{what}”").format(what=self.text()))
        if inverse is None:
            self.setObsolete(True)
            return
        self._undo = inverse
        self._announce(inverse, undone=False)

    def undo(self) -> None:
        assert self._undo is not None
        # Translators: a message box's title; {what} is the edit's words on the Edit menu ("Add Nurlanova").
        inverse = self._revert(self._undo, _("Cannot undo “{what}”").format(what=self.text()))
        if inverse is None:
            self.setObsolete(True)
            return
        self._redo = inverse
        self._announce(inverse, undone=True)

    def _revert(self, change: Change, title: str) -> Change | None:
        from desktop.core.changes import RowRef, id_for_uuid, revert
        from desktop.core.errors import error_sentence

        try:
            with self._database.write() as session:
                inverse = revert(session, change)
                if isinstance(self._selected, RowRef):  # a row put back may have a new key
                    now = id_for_uuid(session, self._selected.table, self._selected.uuid)
                    if now is not None and now != self._selected.id:
                        self._selected = replace(self._selected, id=now)
                return inverse
        except expected_errors() as exc:
            self._edits.failed.emit(title, error_sentence(exc))
            return None

    def _announce(self, change: Change, *, undone: bool) -> None:
        select: object | None
        if undone:
            select = self._selected
        else:
            select = None if self._deletes else (change.subject or self._selected)
        self._edits.data_changed.emit(Changed(change, undone, select, self._origin))


class Edits(QObject):
    """The window's edits: one undo stack, and one signal after every change.

    Signals:
        data_changed(Changed): after an edit was made, undone or redone.
        failed(str, str): an edit, undo or redo could not be done: a title and a sentence.
    """

    data_changed = Signal(object)
    failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)

    def run(self, edit: Edit, database: Database, origin: object | None = None) -> Change | None:
        """Make an edit and put it on the stack; its change, or None when it failed (the
        user has been told). ``origin`` is the section that made it (``Changed.origin``).
        An edit that changed nothing (a bulk confirm of the confirmed) has nothing to undo:
        it is not put on the stack, and nobody is told of it (its change is empty)."""
        command = EditCommand(self, edit, database, origin)
        if not command.run_first():
            return None
        change = command.change
        if change is not None and change.is_empty:
            return change
        self.stack.push(command)
        return change


def edits_of(widget: QWidget, listen: Callable[[Changed], None] | None = None) -> Edits:
    """The window's ``Edits`` for a section's widget; outside a window (a page on its own,
    in a test), an ``Edits`` of the widget's own that reports failures in a message box
    and tells ``listen`` of every change (the window does that for the sections it holds)."""
    window = widget.window()
    found = getattr(window, "edits", None) if window is not widget else None
    if isinstance(found, Edits):
        return found
    own = widget.findChild(Edits, "own-edits")
    if own is None:
        own = Edits(widget)
        own.setObjectName("own-edits")
        own.failed.connect(lambda title, sentence: QMessageBox.warning(widget, title, sentence))
        if listen is not None:
            own.data_changed.connect(listen)
    return own


__all__ = ["Changed", "Edit", "EditCommand", "Edits", "Make", "edits_of", "expected_errors"]
