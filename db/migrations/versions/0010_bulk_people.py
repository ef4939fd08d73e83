"""bulk people: a writer of many people may make their search rows and keys itself

Revision: 0010 (after 0009)
Written: 2026-12-09

PostgreSQL only (SQLite's triggers are unchanged). The triggers that give a new person
their ``person_search`` row (0002) and their stale ``person_key`` row (0003) run once per
row inserted, and the search row's fold (``cd_search_fold``) costs some 0.2 ms a person on
the server: 10 of the 28 seconds an import of 40,000 people took. They now stand aside
while the inserting transaction has set ``conference_desk.bulk_people`` to ``on`` (with
``set_config(…, true)``: for that transaction, and the import turns it off again right
after its insert of people). Such a writer inserts those rows itself, in the same
transaction: ``desktop.core.importing.importer`` does, with the search document folded by
``db.search.fold`` (which agrees with ``cd_search_fold``, tests/db/test_search_index.py)
and the keys made as ``desktop.core.person_keys.settle`` makes them. Every other writer
(and every UPDATE) fires the triggers as before.
"""

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

UNLESS_BULK = "current_setting('conference_desk.bulk_people', true) IS DISTINCT FROM 'on'"

POSTGRES_UP = [
    "DROP TRIGGER IF EXISTS person_search_insert ON person",
    f"""CREATE TRIGGER person_search_insert AFTER INSERT ON person
        FOR EACH ROW WHEN ({UNLESS_BULK}) EXECUTE FUNCTION cd_person_search_refresh()""",
    "DROP TRIGGER IF EXISTS person_key_insert ON person",
    f"""CREATE TRIGGER person_key_insert AFTER INSERT ON person
        FOR EACH ROW WHEN ({UNLESS_BULK}) EXECUTE FUNCTION cd_person_key_stale()""",
]

POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS person_search_insert ON person",
    """CREATE TRIGGER person_search_insert AFTER INSERT ON person
        FOR EACH ROW EXECUTE FUNCTION cd_person_search_refresh()""",
    "DROP TRIGGER IF EXISTS person_key_insert ON person",
    """CREATE TRIGGER person_key_insert AFTER INSERT ON person
        FOR EACH ROW EXECUTE FUNCTION cd_person_key_stale()""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_DOWN:
            op.execute(statement)
