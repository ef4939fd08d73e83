"""The stored vocabularies of the data model (sectors, statuses, roles, …) and the content
languages, as plain Python: what the command line's options, the window's first screen and
the words of ``desktop.core.vocabulary`` need, without loading SQLAlchemy (start-up: the
window is shown before the database is opened). ``db.models`` maps them to columns."""

from __future__ import annotations

import enum

LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")
"""The content languages every installation knows; events may add more."""


class Sector(str, enum.Enum):
    JUDICIARY = "judiciary"
    GOVERNMENT = "government"
    INTERNATIONAL = "international_organisation"
    ACADEMIA = "academia"
    CIVIL_SOCIETY = "civil_society"
    DIPLOMATIC = "diplomatic_corps"
    MEDIA = "media"
    OTHER = "other"


class Gender(str, enum.Enum):
    FEMALE = "female"
    MALE = "male"
    NOT_STATED = "not_stated"


class PartnerRole(str, enum.Enum):
    ORGANISER = "organiser"
    CO_ORGANISER = "co_organiser"
    FUNDER = "funder"
    PARTNER = "partner"


class ItemKind(str, enum.Enum):
    REGISTRATION = "registration"
    OPENING = "opening"
    KEYNOTE = "keynote"
    PRESENTATION = "presentation"
    PANEL = "panel"
    DISCUSSION = "discussion"
    QA = "qa"
    BREAK = "break"
    LUNCH = "lunch"
    CEREMONY = "ceremony"
    CLOSING = "closing"
    OTHER = "other"


class RoleKind(str, enum.Enum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    PANELIST = "panelist"
    DISCUSSANT = "discussant"
    RAPPORTEUR = "rapporteur"


class Category(str, enum.Enum):
    PARTICIPANT = "participant"
    SPEAKER = "speaker"
    ORGANISER = "organiser"
    PRESS = "press"
    INTERPRETER = "interpreter"
    OBSERVER = "observer"


class Status(str, enum.Enum):
    INVITED = "invited"
    REGISTERED = "registered"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class NameForm(str, enum.Enum):
    """How an event's badges and name cards write a person's name."""

    SHORT = "short"  # given name and surname: "Алексей Крутиков", "Alexey Krutikov"
    FULL = "full"    # the language's full form: "Крутиков Алексей Сергеевич" in Russian and Kazakh


class Source(str, enum.Enum):
    MANUAL = "manual"
    IMPORT = "import"
    DESK = "desk"
    DEMO = "demo"


class CheckInAction(str, enum.Enum):
    IN = "in"
    OUT = "out"
    UNDO = "undo"
