"""The columns an attendee list can have (the catalogue), and reading a user's choice of
them. Light on purpose: the command line builds ``export-attendees --help`` from it at
start-up, without loading the exporter (``desktop.core.attendee_list`` re-exports all of it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.language import NP_, _, n_, p_, words

# -- the catalogue of columns --------------------------------------------------------------

TEXT, DATETIME = "text", "datetime"


@dataclass(frozen=True)
class Column:
    """A column the attendee list can have.

    ``title`` is the header's message (English; ``header(lang)`` gives it in a language);
    ``kind`` is ``"text"`` or ``"datetime"``; ``width`` a sensible width in characters for
    writers that size columns; ``contact`` marks personal contact details, left out unless
    asked for.
    """

    key: str
    title: str
    kind: str = TEXT
    width: int = 14
    contact: bool = False

    def header(self, lang: str | None = None) -> str:
        """The column's header in ``lang`` (a file's language; None: the interface language)."""
        if lang is None:
            return p_("attendee column", self.title)
        return words(lang).p_("attendee column", self.title)


CATALOGUE: tuple[Column, ...] = (
    Column("name", NP_("attendee column", "Name"), width=28),
    Column("family_name", NP_("attendee column", "Family name"), width=16),
    Column("given_name", NP_("attendee column", "Given name"), width=14),
    Column("patronymic", NP_("attendee column", "Patronymic"), width=16),
    Column("organisation", NP_("attendee column", "Organisation"), width=36),
    Column("position", NP_("attendee column", "Position"), width=30),
    Column("sector", NP_("attendee column", "Sector"), width=22),
    Column("country", NP_("attendee column", "Country"), width=8),
    Column("category", NP_("attendee column", "Category"), width=12),
    Column("status", NP_("attendee column", "Status"), width=14),
    Column("code", NP_("attendee column", "Badge code"), width=10),
    Column("email", NP_("attendee column", "E-mail"), width=28, contact=True),
    Column("phone", NP_("attendee column", "Phone"), width=16, contact=True),
    Column("gender", NP_("attendee column", "Gender"), width=10),
    Column("registered_at", NP_("attendee column", "Registered at"), kind=DATETIME, width=17),
    Column("checked_in", NP_("attendee column", "Checked in at"), kind=DATETIME, width=17),
    Column("desk", NP_("attendee column", "Desk"), width=10),
    Column("interpretation", NP_("attendee column", "Interpretation"), width=14),
    Column("dietary", NP_("attendee column", "Dietary needs"), width=18),
    Column("accessibility", NP_("attendee column", "Accessibility"), width=18),
    Column("photo_consent", NP_("attendee column", "Photo consent"), width=10),
    Column("notes", NP_("attendee column", "Notes"), width=30),
)
COLUMNS: dict[str, Column] = {c.key: c for c in CATALOGUE}
DEFAULT_COLUMNS: tuple[str, ...] = ("name", "organisation", "position", "sector", "status")
CONTACT_COLUMNS: tuple[str, ...] = tuple(c.key for c in CATALOGUE if c.contact)
# Other spellings people type for a column (accepted, never listed).
ALIASES = {"e_mail": "email", "mail": "email", "badge_code": "code", "badge": "code",
           "checked_in_at": "checked_in", "organization": "organisation", "surname": "family_name"}


class UnknownColumn(ValueError):
    """A column name that is not in the catalogue; the message lists the valid ones."""


def parse_columns(spec: str | Iterable[str]) -> tuple[str, ...]:
    """``"name, email,organisation"`` (or a sequence) → validated keys, in order, once each.

    Case and surrounding spaces are ignored; ``-`` or a space may stand for ``_``
    (``family-name``), and a few other spellings are understood (``e-mail``, ``badge_code``).
    """
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    keys: list[str] = []
    bad: list[str] = []
    for raw in items:
        key = raw.strip().lower().replace("-", "_").replace(" ", "_")
        key = ALIASES.get(key, key)
        if not key:
            continue
        if key not in COLUMNS:
            bad.append(raw.strip())
        elif key not in keys:
            keys.append(key)
    if bad:
        raise UnknownColumn(n_("unknown column {names}; valid columns: {valid}",
                               "unknown columns {names}; valid columns: {valid}", len(bad)).format(
            names=", ".join(repr(b) for b in bad), valid=", ".join(COLUMNS)))
    if not keys:
        raise UnknownColumn(_("no columns given; valid columns: {valid}").format(valid=", ".join(COLUMNS)))
    return tuple(keys)
