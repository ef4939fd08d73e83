"""Undo commands for the roster and the organisations (Orange's way: each command changes
the data through ``desktop.core``, in one transaction, then tells the views to refresh).

A command is *run* once before it is pushed (``run_first``), so that an edit the database
refuses is reported and never reaches the stack; the stack's first ``redo`` then does
nothing. Later ``undo``/``redo`` calls run the core functions again; rows are found by
their uuids, so a person deleted and restored keeps being the same person to every command
on the stack. When an undo or redo cannot be done (another desk changed the rows meanwhile),
the user is told and the command is dropped from the stack (``setObsolete``).
"""

from __future__ import annotations

import uuid as uuid_mod
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy.orm import Session as OrmSession

from db.engine import Database
from desktop.core.merge import MergeUndo, merge_people, undo_merge
from desktop.core.organisations import (
    OrganisationData,
    OrganisationSnapshot,
    create_organisation,
    delete_organisation,
    organisation_id_for,
    organisation_uuid,
    restore_organisation,
    update_organisation,
)
from desktop.core.people import (
    PersonData,
    PersonInUse,
    PersonSnapshot,
    create_person,
    delete_person,
    person_id_for,
    person_uuid,
    restore_person,
    update_person,
)
from desktop.ui.shell.commands import DatabaseCommand, FailedCallback


@dataclass(frozen=True)
class Change:
    """What a command changed, for the views: which record to select afterwards."""

    kind: Literal["person", "organisation"]
    selected: uuid_mod.UUID | None = None


ChangedCallback = Callable[[Change], None]


class _NewOrganisation:
    """An organisation typed in the person dialog, made in the same transaction as the edit."""

    def __init__(self, data: OrganisationData | None) -> None:
        self.data = data
        self.uuid = uuid_mod.uuid4() if data is not None else None

    def make(self, session: OrmSession, person: PersonData) -> PersonData:
        if self.data is None:
            return person
        oid = create_organisation(session, self.data, uuid=self.uuid)
        return replace(person, organisation_id=oid)

    def remove(self, session: OrmSession) -> None:
        if self.uuid is not None:
            delete_organisation(session, organisation_id_for(session, self.uuid))


class AddPersonCommand(DatabaseCommand):
    """Add a person (and the organisation typed for them, when it is new)."""

    def __init__(self, database: Database, data: PersonData, changed: ChangedCallback, failed: FailedCallback,
                 new_organisation: OrganisationData | None = None) -> None:
        super().__init__(f"Add {data.name()}", database, changed, failed)
        self._data = data
        self._organisation = _NewOrganisation(new_organisation)
        self._uuid = uuid_mod.uuid4()
        self._id: int | None = None

    @property
    def person_uuid(self) -> uuid_mod.UUID:
        return self._uuid

    def _do(self, session: OrmSession) -> Change:
        data = self._organisation.make(session, self._data)
        self._id = create_person(session, data, uuid=self._uuid, person_id=self._id)
        return Change("person", self._uuid)

    def _undo(self, session: OrmSession) -> Change:
        try:
            delete_person(session, person_id_for(session, self._uuid), with_dependents=False)
        except PersonInUse as exc:
            raise PersonInUse(exc.impact, f"{exc.impact.name} has been given a role or registered since "
                                          "being added; delete them from the People list instead.") from None
        self._organisation.remove(session)
        return Change("person", None)


class EditPersonCommand(DatabaseCommand):
    """Change a person's fields (and make the organisation typed for them, when new)."""

    def __init__(self, database: Database, person_id: int, data: PersonData, changed: ChangedCallback,
                 failed: FailedCallback, new_organisation: OrganisationData | None = None) -> None:
        super().__init__(f"Edit {data.name()}", database, changed, failed)
        self._person_id = person_id
        self._uuid: uuid_mod.UUID | None = None
        self._data = data
        self._before: PersonData | None = None
        self._organisation = _NewOrganisation(new_organisation)

    def _do(self, session: OrmSession) -> Change:
        if self._uuid is None:
            self._uuid = person_uuid(session, self._person_id)
        data = self._organisation.make(session, self._data)
        self._before = update_person(session, person_id_for(session, self._uuid), data)
        return Change("person", self._uuid)

    def _undo(self, session: OrmSession) -> Change:
        assert self._uuid is not None and self._before is not None
        update_person(session, person_id_for(session, self._uuid), self._before)
        self._organisation.remove(session)
        return Change("person", self._uuid)


class DeletePersonCommand(DatabaseCommand):
    """Delete a person with their roles, registrations and check-ins; undo restores them all."""

    def __init__(self, database: Database, person_id: int, name: str, changed: ChangedCallback,
                 failed: FailedCallback) -> None:
        super().__init__(f"Delete {name}", database, changed, failed)
        self._person_id = person_id
        self._uuid: uuid_mod.UUID | None = None
        self._snapshot: PersonSnapshot | None = None

    def _do(self, session: OrmSession) -> Change:
        if self._uuid is None:
            self._uuid = person_uuid(session, self._person_id)
        self._snapshot = delete_person(session, person_id_for(session, self._uuid))
        return Change("person", None)

    def _undo(self, session: OrmSession) -> Change:
        assert self._snapshot is not None
        restore_person(session, self._snapshot)
        return Change("person", self._snapshot.uuid)


class MergePeopleCommand(DatabaseCommand):
    """Merge the record ``drop_id`` into ``keep_id`` (``desktop.core.merge`` has the rule)."""

    def __init__(self, database: Database, keep_id: int, drop_id: int, text: str, changed: ChangedCallback,
                 failed: FailedCallback) -> None:
        super().__init__(text, database, changed, failed)
        self._ids = (keep_id, drop_id)
        self._uuids: tuple[uuid_mod.UUID, uuid_mod.UUID] | None = None
        self._undo_data: MergeUndo | None = None

    def _do(self, session: OrmSession) -> Change:
        if self._uuids is None:
            self._uuids = (person_uuid(session, self._ids[0]), person_uuid(session, self._ids[1]))
        keep, drop = self._uuids
        self._undo_data = merge_people(session, person_id_for(session, keep), person_id_for(session, drop))
        return Change("person", keep)

    def _undo(self, session: OrmSession) -> Change:
        assert self._undo_data is not None
        undo_merge(session, self._undo_data)
        return Change("person", self._undo_data.keep)


class AddOrganisationCommand(DatabaseCommand):
    def __init__(self, database: Database, data: OrganisationData, changed: ChangedCallback,
                 failed: FailedCallback) -> None:
        super().__init__(f"Add {data.display()}", database, changed, failed)
        self._data = data
        self._uuid = uuid_mod.uuid4()

    def _do(self, session: OrmSession) -> Change:
        create_organisation(session, self._data, uuid=self._uuid)
        return Change("organisation", self._uuid)

    def _undo(self, session: OrmSession) -> Change:
        delete_organisation(session, organisation_id_for(session, self._uuid))
        return Change("organisation", None)


class EditOrganisationCommand(DatabaseCommand):
    def __init__(self, database: Database, organisation_id: int, data: OrganisationData,
                 changed: ChangedCallback, failed: FailedCallback) -> None:
        super().__init__(f"Edit {data.display()}", database, changed, failed)
        self._organisation_id = organisation_id
        self._uuid: uuid_mod.UUID | None = None
        self._data = data
        self._before: OrganisationData | None = None

    def _do(self, session: OrmSession) -> Change:
        if self._uuid is None:
            self._uuid = organisation_uuid(session, self._organisation_id)
        self._before = update_organisation(session, organisation_id_for(session, self._uuid), self._data)
        return Change("organisation", self._uuid)

    def _undo(self, session: OrmSession) -> Change:
        assert self._uuid is not None and self._before is not None
        update_organisation(session, organisation_id_for(session, self._uuid), self._before)
        return Change("organisation", self._uuid)


class DeleteOrganisationCommand(DatabaseCommand):
    """Delete an organisation, leaving the people who worked there without one (undo
    restores it and attaches them again). Refused while an event names it."""

    def __init__(self, database: Database, organisation_id: int, name: str, changed: ChangedCallback,
                 failed: FailedCallback) -> None:
        super().__init__(f"Delete {name}", database, changed, failed)
        self._organisation_id = organisation_id
        self._uuid: uuid_mod.UUID | None = None
        self._snapshot: OrganisationSnapshot | None = None

    def _do(self, session: OrmSession) -> Change:
        if self._uuid is None:
            self._uuid = organisation_uuid(session, self._organisation_id)
        self._snapshot = delete_organisation(session, organisation_id_for(session, self._uuid), detach_people=True)
        return Change("organisation", None)

    def _undo(self, session: OrmSession) -> Change:
        assert self._snapshot is not None
        restore_organisation(session, self._snapshot)
        return Change("organisation", self._snapshot.organisation.uuid)
