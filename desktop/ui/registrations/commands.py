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
from desktop.core import formats, registration_edit, vocabulary
from desktop.core.language import _, n_
from desktop.ui.shell.commands import Edit

# The words are in the interface language of the moment the edit is made (Edit → Undo
# names it so until the application speaks another). ``name`` is the person's name when the
# edit is about one registration whose name the page knows; else the edit is named by its count.


def set_status(ids: Sequence[int], status: Status, name: str | None = None,
               bases: Mapping[int, Mapping[str, Any]] | None = None) -> Edit:
    """``bases``: per registration id, its status as the page showed it (others' changes
    since are kept where this does not change them; both changing one is a conflict)."""
    chosen = tuple(ids)
    word = vocabulary.status(status)
    if name is not None and len(chosen) == 1:
        # Translators (the registrations' edits, as Edit → Undo names them): {status} is a status's word.
        text = _("Set the status of {name} to {status}").format(name=name, status=word)
    else:
        text = n_("Set the status of {n} registration to {status}", "Set the status of {n} registrations to {status}",
                  len(chosen)).format(n=formats.number(len(chosen)), status=word)
    return Edit(text, lambda s: registration_edit.set_status(s, chosen, status, bases=bases), selected=chosen)


def set_category(ids: Sequence[int], category: Category, name: str | None = None,
                 bases: Mapping[int, Mapping[str, Any]] | None = None) -> Edit:
    """``bases``: per registration id, its category as the page showed it."""
    chosen = tuple(ids)
    word = vocabulary.category(category)
    if name is not None and len(chosen) == 1:
        text = _("Set the category of {name} to {category}").format(name=name, category=word)
    else:
        text = n_("Set the category of {n} registration to {category}",
                  "Set the category of {n} registrations to {category}", len(chosen)).format(
            n=formats.number(len(chosen)), category=word)
    return Edit(text, lambda s: registration_edit.set_category(s, chosen, category, bases=bases),
                selected=chosen)


def edit_details(registration_id: int, values: Mapping[str, Any], name: str | None = None,
                 base: Mapping[str, Any] | None = None) -> Edit:
    """``base``: the fields as the Details dialog read them (``RegistrationDetails.editable()``)."""
    details = dict(values)
    before = dict(base) if base is not None else None
    text = (_("Edit the details of {name}").format(name=name) if name is not None
            else _("Edit the details of a registration"))
    return Edit(text, lambda s: registration_edit.update_details(s, registration_id, details, base=before),
                selected=(registration_id,))


def register(event_id: int, name: str, request: Mapping[str, Any], selected: Sequence[int] = ()) -> Edit:
    """``request``: ``registration_edit.register``'s keywords (the Register dialog's ``request()``)."""
    keywords = dict(request)
    return Edit(_("Register {name}").format(name=name), lambda s: registration_edit.register(s, event_id, **keywords),
                selected=tuple(selected))


def remove(ids: Sequence[int], name: str | None = None) -> Edit:
    chosen = tuple(ids)
    if name is not None and len(chosen) == 1:
        text = _("Remove the registration of {name}").format(name=name)
    else:
        text = n_("Remove {n} registration", "Remove {n} registrations", len(chosen)).format(
            n=formats.number(len(chosen)))
    return Edit(text, lambda s: registration_edit.remove_registrations(s, chosen), selected=chosen, deletes=True)


__all__ = ["edit_details", "register", "remove", "set_category", "set_status"]
