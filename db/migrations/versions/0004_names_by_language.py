"""names sorted by each language's alphabet; the name form of badges

Revision: 0004 (after 0003)
Written: 2026-12-06

* Sort keys by name in English, Russian and Kazakh, beside the other derived keys of a
  person in ``person_key`` (migration 0003): the columns ``sort_en``, ``sort_ru``,
  ``sort_kk`` and ``sort_collator`` (see ``db/sort_keys.py``), and the trigger that empties
  them when a person's names change, whoever writes. They start empty: core makes them the
  first time a list is read (``desktop.core.collation.ensure_sort_keys``).
* ``event.badge_name``: how the event's badges and name cards write names (``short``:
  "Алексей Крутиков"; ``full``: the language's full form, "Крутиков Алексей Сергеевич"),
  with the CHECK of its values. Added in place by plain SQL (SQLite takes a CHECK in
  ``ADD COLUMN``): re-creating ``event`` on SQLite (a batch) would drop it first, and with
  foreign keys on that deletes everything that points to it.
"""

import sqlalchemy as sa
from alembic import op

from db.sort_keys import COLLATOR_COLUMN, KEY_LANGUAGES, KEY_TABLE, STALE_TRIGGER, key_column

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

NAME_COLUMNS = ("given_name", "family_name", "patronymic", "display_name")
BADGE_NAME_CHECK = "ck_event_name_form"
_EMPTIED = ", ".join(f"{c} = NULL" for c in (COLLATOR_COLUMN, *map(key_column, KEY_LANGUAGES)))

SQLITE_TRIGGER = f"""CREATE TRIGGER {STALE_TRIGGER} AFTER UPDATE OF {", ".join(NAME_COLUMNS)} ON person
    WHEN {" OR ".join(f"old.{c} IS NOT new.{c}" for c in NAME_COLUMNS)}
BEGIN
    UPDATE {KEY_TABLE} SET {_EMPTIED} WHERE person_id = new.id;
END"""

POSTGRES_TRIGGER = [
    f"""CREATE FUNCTION cd_person_sort_key_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {KEY_TABLE} SET {_EMPTIED} WHERE person_id = NEW.id;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {STALE_TRIGGER} AFTER UPDATE OF {", ".join(NAME_COLUMNS)} ON person
        FOR EACH ROW WHEN ({" OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in NAME_COLUMNS)})
        EXECUTE FUNCTION cd_person_sort_key_stale()""",
]


def upgrade() -> None:
    # Plain ALTERs (person_key is not a model: no batch; SQLite adds columns in place).
    op.add_column(KEY_TABLE, sa.Column(COLLATOR_COLUMN, sa.String(length=40), nullable=True))
    for lang in KEY_LANGUAGES:
        op.add_column(KEY_TABLE, sa.Column(key_column(lang), sa.LargeBinary(), nullable=True))
    op.create_index(f"ix_{KEY_TABLE}_{COLLATOR_COLUMN}", KEY_TABLE, [COLLATOR_COLUMN])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_TRIGGER)
    else:
        for statement in POSTGRES_TRIGGER:
            op.execute(statement)
    op.execute(f"ALTER TABLE event ADD COLUMN badge_name VARCHAR(32) DEFAULT 'short' NOT NULL "
               f"CONSTRAINT {BADGE_NAME_CHECK} CHECK (badge_name IN ('short', 'full'))")


def downgrade() -> None:
    # In place too (ALTER TABLE … DROP COLUMN: SQLite 3.35+).
    op.execute("ALTER TABLE event DROP COLUMN badge_name")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {STALE_TRIGGER}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {STALE_TRIGGER} ON person")
        op.execute("DROP FUNCTION IF EXISTS cd_person_sort_key_stale()")
    op.execute(f"DROP INDEX IF EXISTS ix_{KEY_TABLE}_{COLLATOR_COLUMN}")
    for column in (*map(key_column, KEY_LANGUAGES), COLLATOR_COLUMN):
        op.execute(f"ALTER TABLE {KEY_TABLE} DROP COLUMN {column}")
