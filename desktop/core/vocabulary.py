"""The words for stored values — sectors, categories, statuses, roles, kinds of agenda item,
genders, partner roles, languages, the name forms of badges — one word per value and language, for every face: the
window, the command line, every PDF and the Excel export.

The English words are the messages of the translation catalogs (``desktop.core.language``),
each with its context so that "Other" the sector and "Other" the kind of item can differ in
Russian; Russian and Kazakh come from the catalogs. ``lang`` is the language of the page
being made (a printed programme in Kazakh); without it, the interface language.
"""

from __future__ import annotations

from collections.abc import Mapping

from db.enums import Category, Gender, ItemKind, NameForm, PartnerRole, RoleKind, Sector, Status
from desktop.core.language import NP_, interface_language, words

SECTORS: Mapping[Sector | None, str] = {
    Sector.JUDICIARY: NP_("sector", "Judiciary"),
    Sector.GOVERNMENT: NP_("sector", "Government"),
    Sector.INTERNATIONAL: NP_("sector", "International organisations"),
    Sector.ACADEMIA: NP_("sector", "Academia"),
    Sector.CIVIL_SOCIETY: NP_("sector", "Civil society"),
    Sector.DIPLOMATIC: NP_("sector", "Diplomatic corps"),
    Sector.MEDIA: NP_("sector", "Media"),
    Sector.OTHER: NP_("sector", "Other"),
    None: NP_("sector", "No organisation"),
}
SECTOR_ORDER: tuple[Sector | None, ...] = (*Sector, None)
"""Sectors in the order lists and figures give them; people without an organisation last."""

CATEGORIES: Mapping[Category, str] = {
    Category.PARTICIPANT: NP_("category", "Participant"),
    Category.SPEAKER: NP_("category", "Speaker"),
    Category.ORGANISER: NP_("category", "Organiser"),
    Category.PRESS: NP_("category", "Press"),
    Category.INTERPRETER: NP_("category", "Interpreter"),
    Category.OBSERVER: NP_("category", "Observer"),
}

STATUSES: Mapping[Status, str] = {
    Status.INVITED: NP_("status", "Invited"),
    Status.REGISTERED: NP_("status", "Registered"),
    Status.CONFIRMED: NP_("status", "Confirmed"),
    Status.WAITLISTED: NP_("status", "Waitlisted"),
    Status.DECLINED: NP_("status", "Declined"),
    Status.CANCELLED: NP_("status", "Cancelled"),
}

GENDERS: Mapping[Gender, str] = {
    Gender.FEMALE: NP_("gender", "Female"),
    Gender.MALE: NP_("gender", "Male"),
    Gender.NOT_STATED: NP_("gender", "Not stated"),
}

ITEM_KINDS: Mapping[ItemKind, str] = {
    ItemKind.REGISTRATION: NP_("item kind", "Registration"),
    ItemKind.OPENING: NP_("item kind", "Opening"),
    ItemKind.KEYNOTE: NP_("item kind", "Keynote address"),
    ItemKind.PRESENTATION: NP_("item kind", "Presentation"),
    ItemKind.PANEL: NP_("item kind", "Panel discussion"),
    ItemKind.DISCUSSION: NP_("item kind", "Discussion"),
    ItemKind.QA: NP_("item kind", "Questions and answers"),
    ItemKind.BREAK: NP_("item kind", "Break"),
    ItemKind.LUNCH: NP_("item kind", "Lunch"),
    ItemKind.CEREMONY: NP_("item kind", "Ceremony"),
    ItemKind.CLOSING: NP_("item kind", "Closing"),
    ItemKind.OTHER: NP_("item kind", "Other"),
}

# (one, several): "Moderator: …", "Moderators: …" — a label, not a count, so not n_().
ROLES: Mapping[RoleKind, tuple[str, str]] = {
    RoleKind.MODERATOR: (NP_("role", "Moderator"), NP_("roles", "Moderators")),
    RoleKind.SPEAKER: (NP_("role", "Speaker"), NP_("roles", "Speakers")),
    RoleKind.PANELIST: (NP_("role", "Panellist"), NP_("roles", "Panellists")),
    RoleKind.DISCUSSANT: (NP_("role", "Discussant"), NP_("roles", "Discussants")),
    RoleKind.RAPPORTEUR: (NP_("role", "Rapporteur"), NP_("roles", "Rapporteurs")),
}
ROLE_ORDER: tuple[RoleKind, ...] = (
    RoleKind.MODERATOR, RoleKind.SPEAKER, RoleKind.PANELIST, RoleKind.DISCUSSANT, RoleKind.RAPPORTEUR,
)
"""The order in which roles are listed: who leads, then who speaks."""

PARTNER_ROLES: Mapping[PartnerRole, tuple[str, str]] = {
    PartnerRole.ORGANISER: (NP_("partner", "Organiser"), NP_("partners", "Organisers")),
    PartnerRole.CO_ORGANISER: (NP_("partner", "Co-organiser"), NP_("partners", "Co-organisers")),
    PartnerRole.FUNDER: (NP_("partner", "Funder"), NP_("partners", "Funders")),
    PartnerRole.PARTNER: (NP_("partner", "Partner"), NP_("partners", "Partners")),
}

LANGUAGE_WORDS: Mapping[str, str] = {
    "en": NP_("language", "English"),
    "ru": NP_("language", "Russian"),
    "kk": NP_("language", "Kazakh"),
}

YES_NO: Mapping[bool, str] = {True: NP_("answer", "Yes"), False: NP_("answer", "No")}

# How badges and name cards write a name (an event's choice): "Алексей Крутиков", or as the
# language's lists write it ("Крутиков Алексей Сергеевич" in Russian and Kazakh).
NAME_FORMS: Mapping[NameForm, str] = {
    NameForm.SHORT: NP_("name form", "Given name and surname"),
    NameForm.FULL: NP_("name form", "Full name, as in lists"),
}


def _in(lang: str | None, context: str, message: str) -> str:
    return words(lang or interface_language()).p_(context, message)


def sector(value: Sector | str | None, lang: str | None = None) -> str:
    key = Sector(value) if value is not None else None
    return _in(lang, "sector", SECTORS[key])


def category(value: Category | str, lang: str | None = None) -> str:
    return _in(lang, "category", CATEGORIES[Category(value)])


def status(value: Status | str, lang: str | None = None) -> str:
    return _in(lang, "status", STATUSES[Status(value)])


def gender(value: Gender | str, lang: str | None = None) -> str:
    return _in(lang, "gender", GENDERS[Gender(value)])


def item_kind(value: ItemKind | str, lang: str | None = None) -> str:
    return _in(lang, "item kind", ITEM_KINDS[ItemKind(value)])


def role(value: RoleKind | str, lang: str | None = None, *, several: bool = False) -> str:
    """"Moderator", or with ``several`` "Moderators"."""
    one, many = ROLES[RoleKind(value)]
    return _in(lang, "roles", many) if several else _in(lang, "role", one)


def partner_role(value: PartnerRole | str, lang: str | None = None, *, several: bool = False) -> str:
    one, many = PARTNER_ROLES[PartnerRole(value)]
    return _in(lang, "partners", many) if several else _in(lang, "partner", one)


def language(code: str | None, lang: str | None = None) -> str:
    """The name of the language ``code`` ("Russian"), in ``lang``; the code itself for a
    language without a word."""
    if code is None:
        return ""
    message = LANGUAGE_WORDS.get(code)
    return _in(lang, "language", message) if message else code


def yes_no(value: bool, lang: str | None = None) -> str:
    return _in(lang, "answer", YES_NO[bool(value)])


def name_form(value: NameForm | str, lang: str | None = None) -> str:
    return _in(lang, "name form", NAME_FORMS[NameForm(value)])


__all__ = [
    "CATEGORIES", "GENDERS", "ITEM_KINDS", "LANGUAGE_WORDS", "NAME_FORMS", "PARTNER_ROLES", "ROLES",
    "ROLE_ORDER", "SECTORS", "SECTOR_ORDER", "STATUSES", "YES_NO",
    "category", "gender", "item_kind", "language", "name_form", "partner_role", "role", "sector", "status",
    "yes_no",
]
