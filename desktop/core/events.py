"""Events: listing them, choosing one, and what the window shows about one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Event, EventOrganisation, Organisation, PartnerRole, Registration, Room
from desktop.core.i18n import text
from desktop.core.language import _, interface_language, n_

# The window's first screen reads through these table columns, not the mapped classes: a
# Core statement needs no ORM mapper configuration (~30 ms at start-up) and compiles faster.
_EVENT = Event.__table__.c
_PARTNER = EventOrganisation.__table__.c
_ORG = Organisation.__table__.c
_REGISTRATION = Registration.__table__.c
_ROOM = Room.__table__.c


class EventNotFound(LookupError):
    """No such event, or the choice is ambiguous; the message is one sentence."""


@dataclass(frozen=True)
class EventSummary:
    id: int
    title: dict[str, str]
    starts_on: dt.date
    ends_on: dt.date
    venue: dict[str, str]
    city: dict[str, str]
    is_demo: bool
    registrations: int

    def dates(self, lang: str | None = None) -> str:
        """The event's dates in ``lang``, else in the interface language."""
        from desktop.core.formats import date_range

        return date_range(self.starts_on, self.ends_on, lang)


@dataclass(frozen=True)
class Partner:
    role: PartnerRole
    name: dict[str, str]
    short_name: dict[str, str]
    has_logo: bool
    organisation_id: int


@dataclass(frozen=True)
class EventDetail:
    summary: EventSummary
    timezone: str
    languages: list[str]
    rooms: list[tuple[int, dict[str, str], int | None]]
    partners: list[Partner] = field(default_factory=list)

    def partners_in(self, *roles: PartnerRole) -> list[Partner]:
        return [p for p in self.partners if p.role in roles]


def format_dates(start: dt.date, end: dt.date, lang: str = "en") -> str:
    """An event's dates as a person writes them in ``lang`` (``desktop.core.formats.date_range``):
    "3–5 March 2025", "3–5 марта 2025 г.", "2025 ж. 3–5 наурыз"."""
    from desktop.core.formats import date_range

    return date_range(start, end, lang)


def list_events(session: Session) -> list[EventSummary]:
    """Every event, newest first, with its number of registrations."""
    counts = (
        select(_REGISTRATION.event_id, func.count().label("n"))
        .group_by(_REGISTRATION.event_id)
        .subquery()
    )
    rows = session.execute(
        select(
            _EVENT.id,
            _EVENT.title,
            _EVENT.starts_on,
            _EVENT.ends_on,
            _EVENT.venue,
            _EVENT.city,
            _EVENT.is_demo,
            func.coalesce(counts.c.n, 0),
        )
        .outerjoin(counts, counts.c.event_id == _EVENT.id)
        .order_by(_EVENT.starts_on.desc(), _EVENT.id.desc())
    ).all()
    return [EventSummary(*row) for row in rows]


def resolve_event(session: Session, event_id: int | None) -> EventSummary:
    """The event the user means: the one given, or the only one in the database
    (``EventNotFound``, in the interface language, naming the events there are)."""
    events = list_events(session)
    if event_id is not None:
        for ev in events:
            if ev.id == event_id:
                return ev
        if not events:
            raise EventNotFound(_("there is no event with id {id}.").format(id=event_id))
        # Translators: {events} lists the events of the database: "3 = Round table (2025-02-28); …".
        raise EventNotFound(_("there is no event with id {id}: {events}.").format(
            id=event_id, events=_listing(events)))
    if len(events) == 1:
        return events[0]
    if not events:
        raise EventNotFound(_("the database holds no event yet (create one, or run 'demo')."))
    # Translators: --event is the command line's option and stays as it is; {events} lists them.
    raise EventNotFound(n_("the database holds {n} event, choose one with --event: {events}.",
                           "the database holds {n} events, choose one with --event: {events}.",
                           len(events)).format(n=len(events), events=_listing(events)))


def _listing(events: list[EventSummary]) -> str:
    """"3 = Round table (2025-02-28); 1 = …", at most ten events, titles in the interface language."""
    lang = interface_language()
    shown = "; ".join(f"{ev.id} = {text(ev.title, lang)} ({ev.starts_on:%Y-%m-%d})" for ev in events[:10])
    if len(events) <= 10:
        return shown
    more = len(events) - 10
    # Translators: {events} is the list of the first ten events.
    return n_("{events}; and {n} more", "{events}; and {n} more", more).format(events=shown, n=more)


def event_detail(session: Session, event_id: int) -> EventDetail:
    summary = resolve_event(session, event_id)
    ev = session.execute(
        select(_EVENT.timezone, _EVENT.languages).where(_EVENT.id == event_id)
    ).one()
    rooms = session.execute(
        select(_ROOM.id, _ROOM.name, _ROOM.capacity)
        .where(_ROOM.event_id == event_id)
        .order_by(_ROOM.position, _ROOM.id)
    ).all()
    partner_rows = session.execute(
        select(
            _PARTNER.role,
            _ORG.name,
            _ORG.short_name,
            _ORG.logo_mime.is_not(None),
            _ORG.id,
        )
        .join(Organisation.__table__, _ORG.id == _PARTNER.organisation_id)
        .where(_PARTNER.event_id == event_id)
        .order_by(_PARTNER.position, _PARTNER.id)
    ).all()
    return EventDetail(
        summary=summary,
        timezone=ev.timezone,
        languages=list(ev.languages or []),
        rooms=[(r.id, r.name, r.capacity) for r in rooms],
        partners=[Partner(*row) for row in partner_rows],
    )


# The event's partners in the order they are shown and printed.
PARTNER_ORDER: tuple[PartnerRole, ...] = (
    PartnerRole.ORGANISER, PartnerRole.CO_ORGANISER, PartnerRole.FUNDER, PartnerRole.PARTNER,
)


@dataclass(frozen=True)
class PartnerLogo:
    """A partner with a logo, for the window's event bar."""

    role: PartnerRole
    name: str
    logo: bytes
    mime: str


def partner_logos(session: Session, event_id: int, lang: str = "en") -> list[PartnerLogo]:
    """The event's partners that have a logo, by role (organisers first) and position."""
    rows = session.execute(
        select(_PARTNER.role, _ORG.name, _ORG.short_name, _ORG.logo, _ORG.logo_mime)
        .join(Organisation.__table__, _ORG.id == _PARTNER.organisation_id)
        .where(_PARTNER.event_id == event_id, _ORG.logo.is_not(None))
        .order_by(_PARTNER.position, _PARTNER.id)
    ).all()
    out = [PartnerLogo(role, text(name, lang) or text(short, lang), logo, mime or "")
           for role, name, short, logo, mime in rows]
    out.sort(key=lambda p: PARTNER_ORDER.index(p.role))
    return out
