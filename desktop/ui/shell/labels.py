"""Words the window shows for stored values (sectors, statuses, roles, languages)."""

from __future__ import annotations

from db.models import Category, PartnerRole, RoleKind, Sector, Status

SECTOR: dict[Sector | None, str] = {
    Sector.JUDICIARY: "Judiciary",
    Sector.GOVERNMENT: "Government",
    Sector.INTERNATIONAL: "International organisation",
    Sector.ACADEMIA: "Academia",
    Sector.CIVIL_SOCIETY: "Civil society",
    Sector.DIPLOMATIC: "Diplomatic corps",
    Sector.MEDIA: "Media",
    Sector.OTHER: "Other",
    None: "No organisation",
}

CATEGORY: dict[Category, str] = {
    Category.PARTICIPANT: "Participant",
    Category.SPEAKER: "Speaker",
    Category.ORGANISER: "Organiser",
    Category.PRESS: "Press",
    Category.INTERPRETER: "Interpreter",
    Category.OBSERVER: "Observer",
}

STATUS: dict[Status, str] = {
    Status.INVITED: "Invited",
    Status.REGISTERED: "Registered",
    Status.CONFIRMED: "Confirmed",
    Status.WAITLISTED: "Waitlisted",
    Status.DECLINED: "Declined",
    Status.CANCELLED: "Cancelled",
}

# (singular, plural) for "Moderator: …", "Speakers: …"
ROLE: dict[RoleKind, tuple[str, str]] = {
    RoleKind.MODERATOR: ("Moderator", "Moderators"),
    RoleKind.SPEAKER: ("Speaker", "Speakers"),
    RoleKind.PANELIST: ("Panelist", "Panelists"),
    RoleKind.DISCUSSANT: ("Discussant", "Discussants"),
    RoleKind.RAPPORTEUR: ("Rapporteur", "Rapporteurs"),
}

# The order in which roles are listed: who leads, then who speaks.
ROLE_ORDER: tuple[RoleKind, ...] = (
    RoleKind.MODERATOR, RoleKind.SPEAKER, RoleKind.PANELIST,
    RoleKind.DISCUSSANT, RoleKind.RAPPORTEUR,
)

PARTNER: dict[PartnerRole, tuple[str, str]] = {
    PartnerRole.ORGANISER: ("Organiser", "Organisers"),
    PartnerRole.CO_ORGANISER: ("Co-organiser", "Co-organisers"),
    PartnerRole.FUNDER: ("Funder", "Funders"),
    PartnerRole.PARTNER: ("Partner", "Partners"),
}

LANGUAGE_IN: dict[str, str] = {"en": "English", "ru": "Russian", "kk": "Kazakh"}


def role_list(value: str) -> str:
    """"moderator, speaker" (core's roles) → "Moderator, speaker"."""
    return value[:1].upper() + value[1:] if value else ""


def language_name(code: str | None) -> str:
    if code is None:
        return "any language"
    return LANGUAGE_IN.get(code, code)
