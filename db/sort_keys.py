"""Per-person sort keys by name, one per language, kept in the table of derived keys.

Lists sorted by name (the Registrations table at 100,000 rows, the People roster, the
attendee exports) sort in SQL, by the language's alphabet: Russian with Ё among the Е,
Kazakh in the Kazakh alphabet, Cyrillic before Latin in Russian and Kazakh and after it in
English. Neither SQLite nor PostgreSQL can do that by themselves everywhere, so core
(``desktop.core.collation``) computes a key per person and language with ICU — bytes that
compare as the names should sort — and stores them in ``person_key`` (the per-person
table of derived keys of migration 0003), in the columns migration 0004 adds:

* ``sort_en``, ``sort_ru``, ``sort_kk``: the keys (BLOB on SQLite, bytea on PostgreSQL;
  both compare bytewise, as ICU's keys are meant to be compared);
* ``sort_collator``: which ICU made them (keys of different ICU versions do not compare,
  so core makes them again when it differs); NULL while the keys are to be made. Indexed:
  the rows to make are found at once.

Migration 0003's triggers give every new person a ``person_key`` row (these columns NULL);
migration 0004's trigger empties them when a person's names change (given, family,
patronymic, display names), whoever writes. A stale key is never used; a missing one is
made by core (``desktop.core.collation.ensure_sort_keys``), lazily, for the rows a writer
outside core added or changed and for a database upgraded to 0004. Until then the lists
put such people last, by family name.

Like the rest of ``person_key`` these columns are not in the models (derived data: undo,
desk files and merges never carry them). A batch migration that re-creates ``person`` on
SQLite must create the trigger again (``tests/db/test_sort_keys.py`` fails at head
without it).
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table

KEY_TABLE = "person_key"
"""The per-person table of derived keys (migration 0003) that holds the sort keys."""

KEY_LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")
"""The languages a key is kept for; other languages sort by the English key."""

COLLATOR_COLUMN = "sort_collator"
STALE_TRIGGER = "person_sort_key_stale"
"""The trigger on ``person`` that empties a person's sort keys when their names change."""


def key_column(lang: str) -> str:
    """The column of ``lang``'s key (``sort_en`` for a language without one of its own)."""
    return f"sort_{lang if lang in KEY_LANGUAGES else 'en'}"


sort_keys = Table(
    KEY_TABLE, MetaData(),
    Column("person_id", Integer, primary_key=True),
    Column(COLLATOR_COLUMN, String(40)),
    *(Column(key_column(lang), LargeBinary) for lang in KEY_LANGUAGES),
)
"""The columns of ``person_key`` that core reads and writes for sorting (a ``Table`` of its
own ``MetaData``: not a model)."""
