"""person search index, kept right by triggers

Revision: 0002 (after 0001)
Written: 2026-11-28

One search document per person: names (given, family, patronymic, display names in every
language), e-mail, and the organisation's names and short names in every language. Triggers
on ``person`` and ``organisation`` keep it right whoever writes (see ``db/search.py``):

* SQLite: an FTS5 table ``person_search`` (tokenizer ``unicode61 remove_diacritics 2``);
* PostgreSQL: a table ``person_search(person_id, doc, heads)`` whose ``doc`` is folded by
  the function ``cd_search_fold``, with a GIN index on ``heads``, the first letters of
  every word (no extension needed).

Neither is in the models: Alembic's comparisons leave them out (``db.search.include_name``).
A later batch migration that re-creates ``person`` or ``organisation`` on SQLite must create
the triggers below again.
"""

from alembic import op
from sqlalchemy import text

from db.search import DELETED, FOLD_FROM, FOLD_TO, HEAD_LENGTH, SEPARATOR_PATTERN

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


# -- SQLite ---------------------------------------------------------------------------------

def _sqlite_doc(p: str, o: str) -> str:
    """The text FTS5 tokenizes for person ``p`` with organisation ``o`` (a LEFT JOIN)."""
    def values(column: str) -> str:
        return f"coalesce((SELECT group_concat(value, ' ') FROM json_each({column})), '')"

    return (
        f"{p}.given_name || ' ' || {p}.family_name || ' ' || coalesce({p}.patronymic, '')"
        f" || ' ' || coalesce({p}.email, '') || ' ' || {values(p + '.display_name')}"
        f" || ' ' || {values(o + '.name')} || ' ' || {values(o + '.short_name')}"
    )


_SQLITE_ROWS = (
    "SELECT p.id, {doc} FROM person AS p LEFT JOIN organisation AS o ON o.id = p.organisation_id"
).format(doc=_sqlite_doc("p", "o"))

SQLITE_UP = [
    "CREATE VIRTUAL TABLE person_search USING fts5("
    "doc, tokenize = 'unicode61 remove_diacritics 2')",
    f"INSERT INTO person_search (rowid, doc) {_SQLITE_ROWS}",
    f"""CREATE TRIGGER person_search_insert AFTER INSERT ON person BEGIN
        INSERT INTO person_search (rowid, doc) {_SQLITE_ROWS} WHERE p.id = new.id;
    END""",
    f"""CREATE TRIGGER person_search_update
        AFTER UPDATE OF id, given_name, family_name, patronymic, display_name, email,
                        organisation_id ON person
        WHEN old.id IS NOT new.id OR old.given_name IS NOT new.given_name
          OR old.family_name IS NOT new.family_name OR old.patronymic IS NOT new.patronymic
          OR old.display_name IS NOT new.display_name OR old.email IS NOT new.email
          OR old.organisation_id IS NOT new.organisation_id
    BEGIN
        DELETE FROM person_search WHERE rowid = old.id;
        INSERT INTO person_search (rowid, doc) {_SQLITE_ROWS} WHERE p.id = new.id;
    END""",
    """CREATE TRIGGER person_search_delete AFTER DELETE ON person BEGIN
        DELETE FROM person_search WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER organisation_search_update AFTER UPDATE OF name, short_name ON organisation
        WHEN old.name IS NOT new.name OR old.short_name IS NOT new.short_name
    BEGIN
        DELETE FROM person_search
            WHERE rowid IN (SELECT id FROM person WHERE organisation_id = new.id);
        INSERT INTO person_search (rowid, doc) {_SQLITE_ROWS} WHERE p.organisation_id = new.id;
    END""",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS organisation_search_update",
    "DROP TRIGGER IF EXISTS person_search_delete",
    "DROP TRIGGER IF EXISTS person_search_update",
    "DROP TRIGGER IF EXISTS person_search_insert",
    "DROP TABLE IF EXISTS person_search",
]


# -- PostgreSQL -----------------------------------------------------------------------------

def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _unicode_collation() -> str:
    """A COLLATE clause under which lower() folds every script ("" when the database's own
    locale does): PostgreSQL's lower() follows the locale, and under "C" it folds ASCII only."""
    bind = op.get_bind()
    probe = "SELECT lower('ӘÉΣЁ'{c}) = 'әéσё'"
    if bind.execute(text(probe.format(c=""))).scalar():
        return ""
    names = bind.execute(text(
        "SELECT collname FROM pg_collation WHERE collencoding IN (-1, pg_char_to_encoding('UTF8'))"
    )).scalars().all()
    for name in ("und-x-icu", "C.utf8", "C.UTF-8", "en_US.utf8", "en_US.UTF-8"):
        if name in names and bind.execute(text(probe.format(c=f' COLLATE "{name}"'))).scalar():
            return f' COLLATE "{name}"'
    raise RuntimeError(
        "this PostgreSQL server cannot lower-case non-Latin text (its locale is C and it has "
        "no ICU or UTF-8 collation): create the database with a UTF-8 locale, e.g. C.UTF-8"
    )


def _postgres_up() -> list[str]:
    collate = _unicode_collation()
    fold = (
        f"btrim(regexp_replace(translate(lower(value{collate}), "
        f"{_literal(FOLD_FROM + DELETED)}, {_literal(FOLD_TO)}), "
        f"{_literal(SEPARATOR_PATTERN)}, ' ', 'g'))"
    )

    def values(column: str) -> str:
        return f"(SELECT string_agg(value, ' ') FROM jsonb_each_text({column}))"

    return [
        f"""CREATE FUNCTION cd_search_fold(value text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {fold} $$""",
        f"""CREATE FUNCTION cd_person_search_doc(pid integer) RETURNS text
            LANGUAGE sql AS $$
            SELECT ' ' || cd_search_fold(concat_ws(' ', p.given_name, p.family_name,
                       p.patronymic, p.email, {values('p.display_name')},
                       {values('o.name')}, {values('o.short_name')})) || ' '
            FROM person AS p LEFT JOIN organisation AS o ON o.id = p.organisation_id
            WHERE p.id = pid $$""",
        # The first one, two and three letters of every word: a GIN index on them finds
        # the candidates for a term at once; LIKE then checks the whole term.
        f"""CREATE FUNCTION cd_search_heads(doc text) RETURNS text[]
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT coalesce(array_agg(DISTINCT left(word, n)), '{{}}')
            FROM regexp_split_to_table(btrim(doc), ' ') AS word, generate_series(1, {HEAD_LENGTH}) AS n
            WHERE word <> '' AND n <= length(word) $$""",
        """CREATE TABLE person_search (
            person_id integer PRIMARY KEY
                REFERENCES person (id) ON DELETE CASCADE ON UPDATE CASCADE,
            doc text NOT NULL,
            heads text[] NOT NULL
        )""",
        """INSERT INTO person_search (person_id, doc, heads)
            SELECT id, doc, cd_search_heads(doc)
            FROM (SELECT id, cd_person_search_doc(id) AS doc FROM person) AS docs""",
        "CREATE INDEX ix_person_search_heads ON person_search USING gin (heads)",
        """CREATE FUNCTION cd_person_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            folded text := cd_person_search_doc(NEW.id);
        BEGIN
            INSERT INTO person_search (person_id, doc, heads)
                VALUES (NEW.id, folded, cd_search_heads(folded))
            ON CONFLICT (person_id) DO UPDATE SET doc = EXCLUDED.doc, heads = EXCLUDED.heads;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER person_search_insert AFTER INSERT ON person
            FOR EACH ROW EXECUTE FUNCTION cd_person_search_refresh()""",
        """CREATE TRIGGER person_search_update
            AFTER UPDATE OF id, given_name, family_name, patronymic, display_name, email,
                            organisation_id ON person
            FOR EACH ROW WHEN (
                OLD.id IS DISTINCT FROM NEW.id OR OLD.given_name IS DISTINCT FROM NEW.given_name
                OR OLD.family_name IS DISTINCT FROM NEW.family_name
                OR OLD.patronymic IS DISTINCT FROM NEW.patronymic
                OR OLD.display_name IS DISTINCT FROM NEW.display_name
                OR OLD.email IS DISTINCT FROM NEW.email
                OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
            EXECUTE FUNCTION cd_person_search_refresh()""",
        """CREATE FUNCTION cd_organisation_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE person_search AS s SET doc = d.doc, heads = cd_search_heads(d.doc)
              FROM (SELECT p.id, cd_person_search_doc(p.id) AS doc FROM person AS p
                    WHERE p.organisation_id = NEW.id) AS d
             WHERE s.person_id = d.id;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER organisation_search_update AFTER UPDATE OF name, short_name ON organisation
            FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
                               OR OLD.short_name IS DISTINCT FROM NEW.short_name)
            EXECUTE FUNCTION cd_organisation_search_refresh()""",
    ]


POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS organisation_search_update ON organisation",
    "DROP TRIGGER IF EXISTS person_search_update ON person",
    "DROP TRIGGER IF EXISTS person_search_insert ON person",
    "DROP FUNCTION IF EXISTS cd_organisation_search_refresh()",
    "DROP FUNCTION IF EXISTS cd_person_search_refresh()",
    "DROP TABLE IF EXISTS person_search",
    "DROP FUNCTION IF EXISTS cd_search_heads(text)",
    "DROP FUNCTION IF EXISTS cd_person_search_doc(integer)",
    "DROP FUNCTION IF EXISTS cd_search_fold(text)",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = SQLITE_UP if dialect == "sqlite" else _postgres_up()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
