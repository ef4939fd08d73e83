"""The Registrations section's edits, each a factory of a few lines: its words on the Edit
menu and the ``desktop.core.registration_edit`` call that makes it.
``desktop.ui.shell.commands.Edits`` runs them, puts them on the window's undo stack and
tells the sections after every change; undo and redo put back the very same rows
(``desktop.core.changes.revert``, with the registrations' own rules and words).

``selected`` is what the edit is about as the page selects it: the ids of the
registrations (selected again after an undo, and after the edit when it is about several).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from db.models import Category, Status
from desktop.core import registration_edit, vocabulary
from desktop.ui.shell.commands import Edit


def set_status(ids: Sequence[int], status: Status, who: str) -> Edit:
    chosen = tuple(ids)
    return Edit(f"Set the status of {who} to {vocabulary.status(status)}",
                lambda s: registration_edit.set_status(s, chosen, status), selected=chosen)


def set_category(ids: Sequence[int], category: Category, who: str) -> Edit:
    chosen = tuple(ids)
    return Edit(f"Set the category of {who} to {vocabulary.category(category)}",
                lambda s: registration_edit.set_category(s, chosen, category), selected=chosen)


def edit_details(registration_id: int, values: Mapping[str, Any], who: str) -> Edit:
    details = dict(values)
    return Edit(f"Edit the details of {who}", lambda s: registration_edit.update_details(s, registration_id, details),
                selected=(registration_id,))


def register(event_id: int, name: str, request: Mapping[str, Any], selected: Sequence[int] = ()) -> Edit:
    """``request``: ``registration_edit.register``'s keywords (the Register dialog's ``request()``)."""
    keywords = dict(request)
    return Edit(f"Register {name}", lambda s: registration_edit.register(s, event_id, **keywords),
                selected=tuple(selected))


def remove(ids: Sequence[int], who: str) -> Edit:
    chosen = tuple(ids)
    return Edit(f"Remove {who}", lambda s: registration_edit.remove_registrations(s, chosen),
                selected=chosen, deletes=True)


__all__ = ["edit_details", "register", "remove", "set_category", "set_status"]
