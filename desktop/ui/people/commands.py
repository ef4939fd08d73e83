"""The People section's edits, each a factory of a few lines: its words on the Edit menu and
the ``desktop.core`` call that makes it (``people``, ``organisations``, ``merge``).
``desktop.ui.shell.commands.Edits`` runs them, puts them on the window's undo stack and tells
the sections after every change; undo and redo put back the very same rows
(``desktop.core.changes.revert``).

``selected`` is the person or organisation selected when the edit is made (a ``RowRef``,
selected again after an undo). An organisation typed in the person dialog that is not in
the list yet is made by the same edit, in the same transaction (and goes with its undo).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session as OrmSession

from desktop.core import merge, organisations, people
from desktop.core.changes import Change, RowRef
from desktop.core.language import p_
from desktop.core.organisations import OrganisationData
from desktop.core.people import PersonData
from desktop.ui.shell.commands import Edit


def add_person(data: PersonData, new_organisation: OrganisationData | None = None,
               selected: RowRef | None = None) -> Edit:
    # Translators (the People section's words on Edit → Undo, after "Undo"): {name} is a person's name.
    return Edit(p_("undo", "Add {name}").format(name=data.name()),
                lambda s: _with_organisation(s, data, new_organisation, lambda d: people.create_person(s, d)),
                selected=selected)


def edit_person(person_id: int, data: PersonData, new_organisation: OrganisationData | None = None,
                selected: RowRef | None = None, base: PersonData | None = None) -> Edit:
    """``base``: the person as the editor read them (others' changes since are kept)."""
    return Edit(p_("undo", "Edit {name}").format(name=data.name()),
                lambda s: _with_organisation(s, data, new_organisation,
                                             lambda d: people.update_person(s, person_id, d, base=base)),
                selected=selected)


def delete_person(person_id: int, name: str, selected: RowRef | None = None) -> Edit:
    """Delete a person with their roles, registrations and check-ins (undo brings them all back)."""
    return Edit(p_("undo", "Delete {name}").format(name=name), lambda s: people.delete_person(s, person_id),
                selected=selected, deletes=True)


def merge_people(keep_id: int, drop_id: int, keep_name: str, drop_name: str,
                 selected: RowRef | None = None) -> Edit:
    """Merge the record ``drop_id`` into ``keep_id`` (``desktop.core.merge`` has the rule)."""
    # Translators: {dropped} is the name of the record that goes, {kept} of the one kept.
    return Edit(p_("undo", "Merge {dropped} into {kept}").format(dropped=drop_name, kept=keep_name),
                lambda s: merge.merge_people(s, keep_id, drop_id),
                selected=selected)


def add_organisation(data: OrganisationData, selected: RowRef | None = None) -> Edit:
    # Translators: {name} is an organisation's name.
    return Edit(p_("undo", "Add organisation {name}").format(name=data.display()),
                lambda s: organisations.create_organisation(s, data), selected=selected)


def edit_organisation(organisation_id: int, data: OrganisationData, selected: RowRef | None = None,
                      base: OrganisationData | None = None) -> Edit:
    """``base``: the organisation as the editor read it (others' changes since are kept)."""
    return Edit(p_("undo", "Edit organisation {name}").format(name=data.display()),
                lambda s: organisations.update_organisation(s, organisation_id, data, base=base),
                selected=selected)


def delete_organisation(organisation_id: int, name: str, selected: RowRef | None = None) -> Edit:
    """Delete an organisation, leaving the people who worked there without one (undo puts it
    back and attaches them again). Refused while an event names it."""
    return Edit(p_("undo", "Delete organisation {name}").format(name=name),
                lambda s: organisations.delete_organisation(s, organisation_id, detach_people=True),
                selected=selected, deletes=True)


def _with_organisation(session: OrmSession, data: PersonData, organisation: OrganisationData | None,
                       store: Callable[[PersonData], Change]) -> Change:
    """``store(data)``, after making the organisation typed for the person when it is new."""
    if organisation is None:
        return store(data)
    made = organisations.create_organisation(session, organisation)
    assert made.subject is not None
    return made + store(replace(data, organisation_id=made.subject.id))
