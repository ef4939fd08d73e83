"""The columns an attendee list can have (the catalogue), and reading a user's choice of
them. Light on purpose: the command line builds ``export-attendees --help`` from it at
start-up, without loading the exporter (``desktop.core.attendee_list`` re-exports all of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def _w(en: str, ru: str, kk: str) -> dict[str, str]:
    return {"en": en, "ru": ru, "kk": kk}


def label(words: Mapping[str, str], lang: str) -> str:
    """A fixed word in ``lang`` (English when the language is unknown)."""
    return words.get(lang) or words["en"]


# -- the catalogue of columns --------------------------------------------------------------

TEXT, DATETIME = "text", "datetime"


@dataclass(frozen=True)
class Column:
    """A column the attendee list can have.

    ``kind`` is ``"text"`` or ``"datetime"``; ``width`` a sensible width in characters for
    writers that size columns; ``contact`` marks personal contact details, left out unless
    asked for.
    """

    key: str
    headers: dict[str, str]
    kind: str = TEXT
    width: int = 14
    contact: bool = False

    def header(self, lang: str) -> str:
        return label(self.headers, lang)


CATALOGUE: tuple[Column, ...] = (
    Column("name", _w("Name", "Имя и фамилия", "Аты-жөні"), width=28),
    Column("family_name", _w("Family name", "Фамилия", "Тегі"), width=16),
    Column("given_name", _w("Given name", "Имя", "Аты"), width=14),
    Column("patronymic", _w("Patronymic", "Отчество", "Әкесінің аты"), width=16),
    Column("organisation", _w("Organisation", "Организация", "Ұйым"), width=36),
    Column("position", _w("Position", "Должность", "Лауазымы"), width=30),
    Column("sector", _w("Sector", "Сектор", "Сала"), width=22),
    Column("country", _w("Country", "Страна", "Ел"), width=8),
    Column("category", _w("Category", "Категория", "Санаты"), width=12),
    Column("status", _w("Status", "Статус", "Мәртебесі"), width=14),
    Column("code", _w("Badge code", "Код бейджа", "Бейдж коды"), width=10),
    Column("email", _w("E-mail", "Эл. почта", "Эл. пошта"), width=28, contact=True),
    Column("phone", _w("Phone", "Телефон", "Телефон"), width=16, contact=True),
    Column("gender", _w("Gender", "Пол", "Жынысы"), width=10),
    Column("registered_at", _w("Registered at", "Дата регистрации", "Тіркелген уақыты"),
           kind=DATETIME, width=17),
    Column("checked_in", _w("Checked in at", "Время прибытия", "Келген уақыты"), kind=DATETIME, width=17),
    Column("desk", _w("Desk", "Стойка", "Тіркеу үстелі"), width=10),
    Column("interpretation", _w("Interpretation", "Синхронный перевод", "Ілеспе аударма"), width=14),
    Column("dietary", _w("Dietary needs", "Питание", "Тамақтану"), width=18),
    Column("accessibility", _w("Accessibility", "Доступная среда", "Қолжетімділік"), width=18),
    Column("photo_consent", _w("Photo consent", "Согласие на фото", "Суретке түсіруге келісім"), width=10),
    Column("notes", _w("Notes", "Примечания", "Ескертпелер"), width=30),
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
        raise UnknownColumn(
            f"unknown column{'s' if len(bad) > 1 else ''} {', '.join(repr(b) for b in bad)}; "
            f"valid columns: {', '.join(COLUMNS)}"
        )
    if not keys:
        raise UnknownColumn(f"no columns given; valid columns: {', '.join(COLUMNS)}")
    return tuple(keys)
