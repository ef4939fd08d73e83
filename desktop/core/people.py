"""The roster of people, shared by all events, as plain rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from db.models import AgendaItem, Gender, Organisation, Person, Role, RoleKind, Sector, Session
from desktop.core.i18n import full_name, sort_name, text


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    sort_key: str
    position: str
    organisation: str
    sector: Sector | None
    country: str
    email: str
    gender: Gender
    roles: str  # e.g. "moderator, speaker" in the chosen event


def roster(session: OrmSession, event_id: int | None = None, lang: str = "en",
           *, on_stage_only: bool = False) -> list[PersonRow]:
    """Everyone in the roster, by surname; with ``event_id``, their roles in that event.

    ``on_stage_only`` keeps only the people with a role (the speakers' view).
    """
    roles: dict[int, list[RoleKind]] = {}
    if event_id is not None:
        role_rows = session.execute(
            select(Role.person_id, Role.kind)
            .outerjoin(Session, Session.id == Role.session_id)
            .outerjoin(AgendaItem, AgendaItem.id == Role.item_id)
            .where((Session.event_id == event_id) | (AgendaItem.event_id == event_id))
        )
        for pid, kind in role_rows:
            kinds = roles.setdefault(pid, [])
            if kind not in kinds:
                kinds.append(kind)
    stmt = select(
        Person.id, Person.given_name, Person.family_name, Person.patronymic, Person.display_name,
        Person.position, Organisation.name, Organisation.sector, Person.country, Person.email,
        Person.gender,
    ).outerjoin(Organisation, Organisation.id == Person.organisation_id)
    if on_stage_only:
        stmt = stmt.where(Person.id.in_(list(roles)))
    rows = []
    for pid, given, family, patr, display, position, org, sector, country, email, gender in session.execute(stmt):
        order = sorted(roles.get(pid, []), key=list(RoleKind).index)
        rows.append(PersonRow(
            pid,
            full_name(given, family, patr, display, lang),
            sort_name(given, family, patr).casefold(),
            text(position, lang),
            text(org, lang),
            sector,
            country or "",
            email or "",
            gender,
            ", ".join(k.value for k in order),
        ))
    rows.sort(key=lambda r: r.sort_key)
    return rows
