"""person keys: derived keys of each person that Python makes, marked stale by triggers

Revision: 0003 (after 0002)
Written: 2026-12-06

One row per person in ``person_key``: keys derived from the person's names and their
organisation's names that SQL cannot make (today the Latin sound-spelling ``skeleton`` of
``desktop.core.name_match``; a sort key per language can be another column here). The
application makes them (``desktop.core.person_keys.settle``); the triggers below keep them
honest whoever writes — a new person gets a row marked ``stale``, and a change to a name,
a display name, the organisation or the organisation's names marks the row stale again and
takes its skeleton out of the index, so a stale skeleton is never found. Stale rows are
matched in Python until they are made again (see ``desktop.core.person_keys``).

* SQLite: ``person_key(person_id, stale, skeleton)`` and an FTS5 table
  ``person_key_search`` (``rowid`` = ``person_id``, one column ``doc``: the skeleton);
* PostgreSQL: ``person_key(person_id, stale, skeleton, skeleton_heads)``: the skeleton as
  ``" word word "`` and the first one to three letters of its words under a GIN index, as
  ``person_search`` of migration 0002.

Every person already there starts stale. Neither table is in the models (Alembic's
comparisons leave them out: ``db.search.include_name``). A later batch migration that
re-creates ``person`` or ``organisation`` on SQLite must create the triggers again.
"""

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# The columns a person's keys are made of (an UPDATE OF them marks the keys stale).
_PERSON_COLUMNS = "id, given_name, family_name, patronymic, display_name, organisation_id"


def _changed(old: str, new: str, distinct: str) -> str:
    return " OR ".join(f"{old}.{c} {distinct} {new}.{c}" for c in _PERSON_COLUMNS.split(", "))


# -- SQLite ---------------------------------------------------------------------------------

SQLITE_UP = [
    """CREATE TABLE person_key (
        person_id INTEGER NOT NULL PRIMARY KEY
            REFERENCES person (id) ON DELETE CASCADE ON UPDATE CASCADE,
        stale BOOLEAN NOT NULL DEFAULT 1,
        skeleton TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX ix_person_key_stale ON person_key (person_id) WHERE stale",
    "CREATE VIRTUAL TABLE person_key_search USING fts5(doc, tokenize = 'unicode61 remove_diacritics 0')",
    "INSERT INTO person_key (person_id) SELECT id FROM person",
    """CREATE TRIGGER person_key_insert AFTER INSERT ON person BEGIN
        INSERT INTO person_key (person_id) VALUES (new.id)
            ON CONFLICT (person_id) DO UPDATE SET stale = 1, skeleton = '';
    END""",
    f"""CREATE TRIGGER person_key_update AFTER UPDATE OF {_PERSON_COLUMNS} ON person
        WHEN {_changed("old", "new", "IS NOT")}
    BEGIN
        DELETE FROM person_key_search WHERE rowid = old.id OR rowid = new.id;
        DELETE FROM person_key WHERE person_id = old.id AND old.id IS NOT new.id;
        INSERT INTO person_key (person_id) VALUES (new.id)
            ON CONFLICT (person_id) DO UPDATE SET stale = 1, skeleton = '';
    END""",
    """CREATE TRIGGER person_key_delete AFTER DELETE ON person BEGIN
        DELETE FROM person_key_search WHERE rowid = old.id;
        DELETE FROM person_key WHERE person_id = old.id;
    END""",
    """CREATE TRIGGER organisation_key_update AFTER UPDATE OF name, short_name ON organisation
        WHEN old.name IS NOT new.name OR old.short_name IS NOT new.short_name
    BEGIN
        DELETE FROM person_key_search
            WHERE rowid IN (SELECT id FROM person WHERE organisation_id = new.id);
        UPDATE person_key SET stale = 1, skeleton = ''
            WHERE person_id IN (SELECT id FROM person WHERE organisation_id = new.id);
    END""",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS organisation_key_update",
    "DROP TRIGGER IF EXISTS person_key_delete",
    "DROP TRIGGER IF EXISTS person_key_update",
    "DROP TRIGGER IF EXISTS person_key_insert",
    "DROP TABLE IF EXISTS person_key_search",
    "DROP TABLE IF EXISTS person_key",
]


# -- PostgreSQL -----------------------------------------------------------------------------

POSTGRES_UP = [
    """CREATE TABLE person_key (
        person_id integer PRIMARY KEY
            REFERENCES person (id) ON DELETE CASCADE ON UPDATE CASCADE,
        stale boolean NOT NULL DEFAULT true,
        skeleton text NOT NULL DEFAULT '',
        skeleton_heads text[] NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX ix_person_key_stale ON person_key (person_id) WHERE stale",
    "CREATE INDEX ix_person_key_skeleton_heads ON person_key USING gin (skeleton_heads)",
    "INSERT INTO person_key (person_id) SELECT id FROM person",
    """CREATE FUNCTION cd_person_key_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO person_key (person_id) VALUES (NEW.id)
        ON CONFLICT (person_id) DO UPDATE SET stale = true, skeleton = '', skeleton_heads = '{}';
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER person_key_insert AFTER INSERT ON person
        FOR EACH ROW EXECUTE FUNCTION cd_person_key_stale()""",
    f"""CREATE TRIGGER person_key_update AFTER UPDATE OF {_PERSON_COLUMNS} ON person
        FOR EACH ROW WHEN ({_changed("OLD", "NEW", "IS DISTINCT FROM")})
        EXECUTE FUNCTION cd_person_key_stale()""",
    """CREATE FUNCTION cd_organisation_key_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE person_key SET stale = true, skeleton = '', skeleton_heads = '{}'
         WHERE person_id IN (SELECT id FROM person WHERE organisation_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER organisation_key_update AFTER UPDATE OF name, short_name ON organisation
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
                           OR OLD.short_name IS DISTINCT FROM NEW.short_name)
        EXECUTE FUNCTION cd_organisation_key_stale()""",
]

POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS organisation_key_update ON organisation",
    "DROP TRIGGER IF EXISTS person_key_update ON person",
    "DROP TRIGGER IF EXISTS person_key_insert ON person",
    "DROP FUNCTION IF EXISTS cd_organisation_key_stale()",
    "DROP FUNCTION IF EXISTS cd_person_key_stale()",
    "DROP TABLE IF EXISTS person_key",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
