"""The one way an edit becomes undoable, and the one signal after every change.

The contract (``desktop.core.changes``): a core edit takes a session and returns a
``Change``; ``revert`` takes it back and returns the inverse. Here, ``EditCommand`` is the
only undo command of the window: it runs the edit once before it is pushed (so an edit the
database refuses is told to the user and never reaches the stack; the stack's first
``redo`` then does nothing), and undo and redo are ``revert`` of the change and of its
inverse, each in one transaction. When an undo or redo cannot be done (the rows are gone,
or in use) the user is told and the command is dropped (``setObsolete``). When it is
refused because someone else changed since what it would put back (``UndoConflict``), the
user is told its sentence and the command stays where it was on the stack (the stack's
index is put back): it can be tried again later.

Several organisers (issue 15): an edit whose editor read the row some time ago may meet a
field someone else changed too (``EditConflict``); ``Edits`` then asks which value to keep
(``desktop.ui.shell.conflicts``, or ``Edits.ask`` when set) and runs the edit again with
the answer in ``session.info["resolve"]``; Cancel saves nothing (``Edits.cancelled`` is
then true until the next run, so an editor may open again with the user's input).

``Edits`` owns the window's undo stack; the sections make an edit with ``Edits.run`` (a
command's words and a function of the session), and listen to ``Edits.data_changed``,
which fires after every run — first, undo, redo — with a ``Changed``: the change, which
tables it wrote, and what to select. The same signal will carry the changes other
workstations make. The command factories of the sections (``*/commands.py``) are small
functions that give a command its words and its core call.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.core.language import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as OrmSession

    from db.engine import Database
    from desktop.core.changes import Change, EditConflict


# What may go wrong in an edit and is told to the user (validation, rows gone, rows in use,
# restore conflicts, the database itself); anything else is a bug and is not swallowed.
def expected_errors() -> tuple[type[BaseException], ...]:
    """The failures an edit may meet (SQLAlchemy is loaded by then: an edit needs the
    database, and the window is shown before the database is opened)."""
    from sqlalchemy.exc import SQLAlchemyError

    return (ValueError, LookupError, RuntimeError, SQLAlchemyError)


OWN_EDITS_KEPT = 1000
"""How many of the window's own edits ``Edits.own_edits`` remembers."""

Make = Callable[["OrmSession"], "Change"]
Ask = Callable[["EditConflict", "QWidget | None", str, "Database | None"], "dict[str, str] | None"]
"""Which value to keep (``Edits.ask``): the conflict, a parent for a dialog, the edit's words,
the database; the choice per field (``{"table.field": "mine" | "theirs"}``), None to cancel."""


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
        self._skip_undo = False
        self._refused: tuple[str, str] | None = None  # an undo or redo refused: title, sentence

    @property
    def change(self) -> Change | None:
        """The change the edit made (None until it ran)."""
        return self._undo

    def run_first(self) -> bool:
        """Do the edit now, before it is pushed; False (and the user told) when it failed,
        or when the user cancelled the question which value to keep (``EditConflict``)."""
        from desktop.core.changes import EditConflict
        from desktop.core.errors import error_sentence

        resolve: dict[Any, Any] = {}  # the answers so far, each over the value it was about
        while True:
            try:
                with self._database.write() as session:
                    if resolve:
                        session.info["resolve"] = dict(resolve)
                    change = self._make(session)
                break
            except EditConflict as conflict:
                chosen = self._edits.which(conflict, self)
                if chosen is None:
                    self._edits.cancelled = True
                    return False
                answers = conflict.answered(chosen)
                if all(resolve.get(key) == answer for key, answer in answers.items()):  # nothing new: never loop
                    self._edits.failed.emit(_("Cannot save the change"), error_sentence(conflict))
                    return False
                resolve.update(answers)  # someone saving yet another value meanwhile is asked about again
            except expected_errors() as exc:
                self._edits.failed.emit(_("Cannot save the change"), error_sentence(exc))
                return False
        self._undo = change
        self._skip_redo = True
        if not change.is_empty:
            self._announce(change, undone=False)
        return True

    def redo(self) -> None:
        if self._skip_redo:  # push() calls redo(): the edit was made by run_first(); or an undo was refused
            self._skip_redo = False
            return
        assert self._redo is not None
        # Translators: a message box's title; {what} is the edit's words on the Edit menu ("Add Nurlanova").
        inverse = self._revert(self._redo, _("Cannot redo “{what}”").format(what=self.text()))
        if inverse is None:
            if self._refused is not None:  # stays redoable: the stack's index is put back
                self._skip_undo = True
                self._edits._hold(self, self._refused)
                self._refused = None
            else:
                self.setObsolete(True)
            return
        self._undo = inverse
        self._announce(inverse, undone=False)

    def undo(self) -> None:
        if self._skip_undo:  # a redo was refused: the stack's index is being put back
            self._skip_undo = False
            return
        assert self._undo is not None
        # Translators: a message box's title; {what} is the edit's words on the Edit menu ("Add Nurlanova").
        inverse = self._revert(self._undo, _("Cannot undo “{what}”").format(what=self.text()))
        if inverse is None:
            if self._refused is not None:  # stays undoable: the stack's index is put back
                self._skip_redo = True
                self._edits._hold(self, self._refused)
                self._refused = None
            else:
                self.setObsolete(True)
            return
        self._redo = inverse
        self._announce(inverse, undone=True)

    def _revert(self, change: Change, title: str) -> Change | None:
        """``revert(change)`` in a transaction; None when it could not be done (the user is
        told; a refusal because of someone else's newer change is kept in ``_refused``, to
        be told once the stack is as it was)."""
        from desktop.core.changes import RowRef, UndoConflict, id_for_uuid, revert
        from desktop.core.errors import error_sentence

        try:
            with self._database.write() as session:
                inverse = revert(session, change)
                if isinstance(self._selected, RowRef):  # a row put back may have a new key
                    now = id_for_uuid(session, self._selected.table, self._selected.uuid)
                    if now is not None and now != self._selected.id:
                        self._selected = replace(self._selected, id=now)
                return inverse
        except UndoConflict as exc:
            self._refused = (title, error_sentence(exc))
            return None
        except expected_errors() as exc:
            self._edits.failed.emit(title, error_sentence(exc))
            return None

    def _announce(self, change: Change, *, undone: bool) -> None:
        if change.edit is not None:
            self._edits.own_edits.append(change.edit)
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
        self.stack.indexChanged.connect(self._on_stack_index_changed)
        self.ask: Ask | None = None  # which value to keep; None: the conflict dialog
        self.cancelled = False  # the last run was cancelled at the question which value to keep
        self._held: tuple[EditCommand, tuple[str, str]] | None = None
        # The history's marks of the edits, undos and redos made here (the latest): an open
        # editor's notice of changes by others leaves these out (``desktop.ui.shell.row_notice``).
        self.own_edits: deque[uuid.UUID] = deque(maxlen=OWN_EDITS_KEPT)

    def run(self, edit: Edit, database: Database, origin: object | None = None) -> Change | None:
        """Make an edit and put it on the stack; its change, or None when it failed (the
        user has been told) or when the user cancelled the question which value to keep
        (``cancelled`` is then true). ``origin`` is the section that made it (``Changed.origin``).
        An edit that changed nothing (a bulk confirm of the confirmed) has nothing to undo:
        it is not put on the stack, and nobody is told of it (its change is empty)."""
        self.cancelled = False
        command = EditCommand(self, edit, database, origin)
        if not command.run_first():
            return None
        change = command.change
        if change is not None and change.is_empty:
            return change
        self.stack.push(command)
        return change

    def which(self, conflict: EditConflict, command: EditCommand) -> dict[str, str] | None:
        """Ask which value to keep of each field both changed (``desktop.ui.shell.conflicts``);
        None when the user cancelled."""
        origin = command._origin
        parent = origin if isinstance(origin, QWidget) else self.parent()
        widget = parent if isinstance(parent, QWidget) else None
        # An editor that saves from inside (``desktop.ui.shell.saving``) is open and modal:
        # the question goes over it, where the user is looking.
        modal = QApplication.activeModalWidget()
        if modal is not None:
            widget = modal
        if self.ask is not None:
            return self.ask(conflict, widget, command.text(), command._database)
        from desktop.ui.shell.conflicts import ask_which

        return ask_which(conflict, widget, command.text(), command._database)

    def _hold(self, command: EditCommand, refused: tuple[str, str]) -> None:
        """An undo or redo of ``command`` was refused: put the stack's index back as soon as
        the stack has moved it (in ``_on_stack_index_changed``), then tell the user."""
        self._held = (command, refused)

    def _on_stack_index_changed(self, _index: int) -> None:
        held, self._held = self._held, None
        if held is None:
            return
        command, (title, sentence) = held
        index = self.stack.index()
        if index < self.stack.count() and self.stack.command(index) is command:
            self.stack.redo()  # the refused undo: its command's redo does nothing (_skip_redo)
        elif index > 0 and self.stack.command(index - 1) is command:
            self.stack.undo()  # the refused redo: its command's undo does nothing (_skip_undo)
        self.failed.emit(title, sentence)


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
        own.failed.connect(lambda title, sentence: QMessageBox.warning(QApplication.activeModalWidget() or widget,
                                                                       title, sentence))
        if listen is not None:
            own.data_changed.connect(listen)
    return own


__all__ = ["Ask", "Changed", "Edit", "EditCommand", "Edits", "Make", "edits_of", "expected_errors"]
