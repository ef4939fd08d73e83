"""The data model of Conference Desk (SQLAlchemy 2, typed declarative).

Every row that can travel between databases (desk files, merges) carries a stable ``uuid``
beside its integer key. Texts shown to participants are ``LocalText`` mappings in English,
Russian and Kazakh. Agenda times are wall-clock times in the event's time zone; instants
(check-ins, stamps) are UTC.

The schema is created and upgraded only by the Alembic migrations in ``db/migrations``;
a test checks that they agree with these models.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid as uuid_mod
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.enums import (  # noqa: F401  (the vocabularies are part of the model's names)
    Category,
    CheckInAction,
    Gender,
    ItemKind,
    NameForm,
    PartnerRole,
    RoleKind,
    Sector,
    Source,
    Status,
)
from db.types import LocalText, UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, str]: LocalText()}

    if TYPE_CHECKING:
        # SQLAlchemy types this as any FromClause (a class may be mapped to a join or a
        # select); every model here is mapped to a Table of its own, which Core's
        # insert/update/delete take.
        __table__: ClassVar[Table]


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: a VARCHAR with a CHECK of the values (no native PG type)."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def _version_column() -> Mapped[int]:
    """How many times the row was changed, plus one (migration 0011): raised by
    ``desktop.core.changes`` at every edit and undo, so that a window can tell a row changed
    under it (issue 15). Rows written without it (imports, merges) start at 1."""
    return mapped_column(Integer, server_default="1", nullable=False)


def _uuid_column() -> Mapped[uuid_mod.UUID]:
    return mapped_column(Uuid, unique=True, default=uuid_mod.uuid4, nullable=False)


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    name: Mapped[dict[str, str]] = mapped_column(default=dict)
    short_name: Mapped[dict[str, str]] = mapped_column(default=dict)
    sector: Mapped[Sector] = mapped_column(_enum(Sector, "sector"), default=Sector.OTHER)
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_mime: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = _version_column()

    people: Mapped[list[Person]] = relationship(back_populates="organisation")


class Person(Base):
    """Someone in the roster, shared by all events."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    honorific: Mapped[str | None] = mapped_column(String(40))
    given_name: Mapped[str] = mapped_column(String(120), default="")
    family_name: Mapped[str] = mapped_column(String(120), default="")
    patronymic: Mapped[str | None] = mapped_column(String(120))
    # The name as printed in another script, e.g. {"en": "Yerzhan Zhienbayev"} for a
    # person whose documents spell it "Ержан Жиенбаев"; falls back to the fields above.
    display_name: Mapped[dict[str, str]] = mapped_column(default=dict)
    position: Mapped[dict[str, str]] = mapped_column(default=dict)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    country: Mapped[str | None] = mapped_column(String(2))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    bio: Mapped[dict[str, str]] = mapped_column(default=dict)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    gender: Mapped[Gender] = mapped_column(_enum(Gender, "gender"), default=Gender.NOT_STATED)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = _version_column()

    organisation: Mapped[Organisation | None] = relationship(back_populates="people")
    roles: Mapped[list[Role]] = relationship(back_populates="person")
    registrations: Mapped[list[Registration]] = relationship(back_populates="person")

    __table_args__ = (CheckConstraint("given_name <> '' OR family_name <> ''", name="has_name"),)


class Event(Base):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    title: Mapped[dict[str, str]] = mapped_column(default=dict)
    subtitle: Mapped[dict[str, str]] = mapped_column(default=dict)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    venue: Mapped[dict[str, str]] = mapped_column(default=dict)
    city: Mapped[dict[str, str]] = mapped_column(default=dict)
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["en", "ru", "kk"])
    # Sample content (the shipped demo): the app marks it as illustrative.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The name on badges and name cards (added by migration 0004 in place, its CHECK with it).
    badge_name: Mapped[NameForm] = mapped_column(
        Enum(NameForm, name="name_form", native_enum=False, create_constraint=True, length=32,
             values_callable=lambda e: [m.value for m in e], validate_strings=True),
        default=NameForm.SHORT, server_default=NameForm.SHORT.value,
    )
    # Who signs its certificates: up to two signatories, each a name and a title in every
    # language (added by migration 0005 in place; empty on the rows that were there before).
    signatory1_name: Mapped[dict[str, str]] = mapped_column(LocalText(), nullable=True, default=dict)
    signatory1_title: Mapped[dict[str, str]] = mapped_column(LocalText(), nullable=True, default=dict)
    signatory2_name: Mapped[dict[str, str]] = mapped_column(LocalText(), nullable=True, default=dict)
    signatory2_title: Mapped[dict[str, str]] = mapped_column(LocalText(), nullable=True, default=dict)
    version: Mapped[int] = _version_column()

    rooms: Mapped[list[Room]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Room.position"
    )
    partners: Mapped[list[EventOrganisation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventOrganisation.position"
    )
    sessions: Mapped[list[AgendaSession]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="AgendaSession.starts_at"
    )
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="AgendaItem.starts_at"
    )
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)


class EventOrganisation(Base):
    """An organisation that organises, co-organises, funds or partners an event."""

    __tablename__ = "event_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[PartnerRole] = mapped_column(_enum(PartnerRole, "partner_role"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = _version_column()

    event: Mapped[Event] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (UniqueConstraint("event_id", "organisation_id", "role"),)


class Room(Base):
    __tablename__ = "room"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[dict[str, str]] = mapped_column(default=dict)
    capacity: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = _version_column()

    event: Mapped[Event] = relationship(back_populates="rooms")


class AgendaSession(Base):
    """A thematic block of an event, with its moderators/chairs in ``roles``."""

    __tablename__ = "session"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict[str, str]] = mapped_column(default=dict)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"))
    colour: Mapped[str | None] = mapped_column(String(9))  # "#rrggbb"
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = _version_column()

    event: Mapped[Event] = relationship(back_populates="sessions")
    room: Mapped[Room | None] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="session", order_by="AgendaItem.starts_at"
    )
    roles: Mapped[list[Role]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Role.position"
    )

    __table_args__ = (CheckConstraint("ends_at >= starts_at", name="times_in_order"),)


class AgendaItem(Base):
    """Something on the programme: inside a session, or at top level (registration, lunch)."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind, "item_kind"), default=ItemKind.OTHER)
    title: Mapped[dict[str, str]] = mapped_column(default=dict)
    description: Mapped[dict[str, str]] = mapped_column(default=dict)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = _version_column()

    event: Mapped[Event] = relationship(back_populates="items")
    session: Mapped[AgendaSession | None] = relationship(back_populates="items")
    room: Mapped[Room | None] = relationship()
    roles: Mapped[list[Role]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Role.position"
    )

    __table_args__ = (CheckConstraint("ends_at >= starts_at", name="times_in_order"),)


class Role(Base):
    """A person's part in a session (moderator, chair) or in an agenda item, in order."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RoleKind] = mapped_column(_enum(RoleKind, "role_kind"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = _version_column()

    person: Mapped[Person] = relationship(back_populates="roles")
    session: Mapped[AgendaSession | None] = relationship(back_populates="roles")
    item: Mapped[AgendaItem | None] = relationship(back_populates="roles")

    __table_args__ = (
        CheckConstraint(
            "(session_id IS NULL) <> (item_id IS NULL)", name="in_session_or_item"
        ),
    )


class Registration(Base):
    """A person at an event."""

    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    category: Mapped[Category] = mapped_column(
        _enum(Category, "category"), default=Category.PARTICIPANT
    )
    status: Mapped[Status] = mapped_column(_enum(Status, "status"), default=Status.REGISTERED)
    badge_code: Mapped[str] = mapped_column(String(16))
    source: Mapped[Source] = mapped_column(_enum(Source, "source"), default=Source.MANUAL)
    source_file: Mapped[str | None] = mapped_column(String(260))
    source_row: Mapped[int | None] = mapped_column(Integer)
    source_desk: Mapped[str | None] = mapped_column(String(80))
    interpretation: Mapped[str | None] = mapped_column(String(8))  # language code
    dietary: Mapped[str | None] = mapped_column(String(200))
    accessibility: Mapped[str | None] = mapped_column(String(200))
    photo_consent: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = _version_column()

    event: Mapped[Event] = relationship(back_populates="registrations")
    person: Mapped[Person] = relationship(back_populates="registrations")
    check_ins: Mapped[list[CheckIn]] = relationship(
        back_populates="registration", order_by="CheckIn.happened_at"
    )

    __table_args__ = (
        UniqueConstraint("event_id", "badge_code"),
        UniqueConstraint("event_id", "person_id"),
        Index("ix_registration_event_status", "event_id", "status"),
    )


class CheckIn(Base):
    """Append-only: a registration's check-in state is derived from these rows.

    ``undoes`` names the check-in an UNDO row cancels. Rows are never updated or deleted,
    so merging another desk's rows is idempotent by ``uuid``.
    """

    __tablename__ = "check_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="RESTRICT"), index=True
    )
    desk: Mapped[str] = mapped_column(String(80))
    action: Mapped[CheckInAction] = mapped_column(_enum(CheckInAction, "check_in_action"))
    undoes: Mapped[uuid_mod.UUID | None] = mapped_column(Uuid)
    happened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="check_ins")

    __table_args__ = (
        CheckConstraint("(action = 'undo') = (undoes IS NOT NULL)", name="undo_names_target"),
        # A desk's latest check-in (migration 0007): "Undo last check-in".
        Index("ix_check_in_desk_recorded_at", "desk", "recorded_at"),
    )


class BadgePrint(Base):
    """Append-only: a badge printed at a desk (migration 0009) — when and at which desk, so
    that every desk can ask "badge already printed at … — print again?" rather than print a
    silent second copy. Like ``CheckIn`` rows these are never updated, and travel in desk
    files and merge back by ``uuid`` (idempotent)."""

    __tablename__ = "badge_print"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    desk: Mapped[str] = mapped_column(String(80))
    printed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Certificate(Base):
    """A certificate's number, given to a registration the first time its certificate is
    printed and kept for its reprints, so that a printed certificate can be verified.

    ``serial`` counts the event's certificates from 1; ``number`` is what the paper shows
    ("7-0012": the event's id and the serial), unique in the database.
    """

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_mod.UUID] = _uuid_column()
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("event_id", "serial"),
        CheckConstraint("serial > 0", name="serial_positive"),
    )


class DatabaseSecret(Base):
    """A secret of this database itself (migration 0008), never of an event: ``desk-file``
    is the key that signs the desk files it exports (``desktop.core.desk_file``). No export
    copies this table; a desk file's own table stays empty."""

    __tablename__ = "database_secret"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChangeLog(Base):
    """The history of edits (migration 0011, issue 15): one row per field an edit changed,
    or per row it made or deleted — who (``author``: the workstation's user), when, which
    row, and the old and new values as JSON text (``desktop.core.history``). Written by
    ``desktop.core.changes`` in the edit's own transaction, so a failed save adds nothing;
    ``edit`` groups the rows of one edit. Check-ins are not here: they are their own history
    (but a desk file's merge says how many it brought, one line).
    A row made or deleted among more than ``desktop.core.changes.LOG_ROWS_LIMIT`` of its table
    in one edit (an import, an event deleted) is one row with ``row_uuid`` NULL and the count.
    Never copied to a desk file."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    edit: Mapped[uuid_mod.UUID] = mapped_column(Uuid)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(80), default="")
    table_name: Mapped[str] = mapped_column(String(40))
    row_uuid: Mapped[uuid_mod.UUID | None] = mapped_column(Uuid)
    row_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))  # insert, update, delete
    field: Mapped[str | None] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    # What a write that is not one person's edit was (migration 0012): an import, a desk
    # file's merge — JSON ({"event": 3, "file": "guests.xlsx", "what": "import"}) on each of
    # its lines; NULL for an edit.
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_change_log_row", "table_name", "row_uuid"), Index("ix_change_log_edit", "edit"))


ALL_MODELS: tuple[type[Base], ...] = (
    Organisation,
    Person,
    Event,
    EventOrganisation,
    Room,
    AgendaSession,
    AgendaItem,
    Role,
    Registration,
    CheckIn,
    Certificate,
    BadgePrint,
)

class WatchMark(Base):
    """A write announced to the other workstations on SQLite (migration 0012,
    ``desktop.core.watch.announce``): its sender's token and the tables it changed, written
    in its transaction, so that a watcher tells another process's commit from its own
    process's (``PRAGMA data_version`` cannot). Old rows are deleted as new ones come;
    PostgreSQL announces with notifications and leaves it empty. Never copied anywhere."""

    __tablename__ = "watch_mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40))
    tables: Mapped[str] = mapped_column(Text)


LOCAL_MODELS: tuple[type[Base], ...] = (DatabaseSecret, ChangeLog, WatchMark)
"""Tables of this database itself: no uuid, never copied to a desk file or any export."""


def text_fields(model: type[Base]) -> list[str]:
    """Names of a model's LocalText (per-language) columns."""
    return [c.key for c in model.__table__.columns if isinstance(c.type, LocalText)]


__all__: list[Any] = [
    "Base",
    "Sector",
    "Gender",
    "PartnerRole",
    "ItemKind",
    "RoleKind",
    "Category",
    "Status",
    "Source",
    "CheckInAction",
    "NameForm",
    *[m.__name__ for m in ALL_MODELS],
    "LOCAL_MODELS",
    *[m.__name__ for m in LOCAL_MODELS],
]
