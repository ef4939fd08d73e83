"""The migrations and the models describe the same schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, Column, Connection, Engine, Integer, MetaData, inspect, text

from db.engine import Database, open_database
from db.migrate import downgrade, script_heads, script_revisions
from db.models import ALL_MODELS, LOCAL_MODELS, Base
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD
from db.search import include_name


def schema_diffs(conn: Connection, metadata: MetaData = Base.metadata) -> list[object]:
    """Alembic's autogenerate comparison of the live schema with ``metadata`` (the search
    index, made by raw SQL in migration 0002, is left out as in ``db/migrations/env.py``)."""
    ctx = MigrationContext.configure(
        conn, opts={"compare_type": True, "compare_server_default": True, "include_name": include_name}
    )
    return list(compare_metadata(ctx, metadata))


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


# --- the revisions this build knows ----------------------------------------------------


def test_known_revisions_are_the_migration_scripts_in_order() -> None:
    oldest_first = tuple(reversed(script_revisions()))
    assert KNOWN_REVISIONS == oldest_first, (
        "db/schema.py KNOWN_REVISIONS must list every migration script, oldest first"
    )


def test_schema_head_is_the_single_head() -> None:
    assert script_heads() == (SCHEMA_HEAD,), "the migrations must have exactly one head"
    assert SCHEMA_HEAD == KNOWN_REVISIONS[-1]


def test_every_table_has_a_model() -> None:
    assert {m.__table__.name for m in (*ALL_MODELS, *LOCAL_MODELS)} == set(Base.metadata.tables)


# --- migrations against models --------------------------------------------------------


def test_migrations_match_models(database: Database) -> None:
    assert revision_of(database.engine) == SCHEMA_HEAD
    with database.engine.connect() as conn:
        diffs = schema_diffs(conn)
    assert diffs == [], f"the migrations and db/models.py disagree: {diffs}"


def test_check_constraints_match_models(database: Database) -> None:
    """Alembic does not compare CHECK constraints; compare their names table by table."""
    with database.engine.connect() as conn:
        insp = inspect(conn)
        for table in Base.metadata.sorted_tables:
            expected = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
            found = {c["name"] for c in insp.get_check_constraints(table.name)}
            assert found == expected, f"CHECK constraints of {table.name}"


def test_comparison_notices_a_difference(database: Database) -> None:
    """The check above can fail: a model with one more column shows up as a diff."""
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["person"].append_column(Column("shoe_size", Integer, nullable=True))
    with database.engine.connect() as conn:
        diffs = schema_diffs(conn, changed)
    assert [d[0] for d in diffs] == ["add_column"]
    _, _schema, table_name, column = diffs[0]
    assert (table_name, column.name) == ("person", "shoe_size")


# --- upgrading an older schema -------------------------------------------------------


@pytest.mark.parametrize("older", ["base", *KNOWN_REVISIONS[:-1]])
def test_older_schema_is_upgraded_on_open(db_target: str, older: str) -> None:
    db = open_database(db_target)
    downgrade(db.engine, older)
    expected = None if older == "base" else older
    assert revision_of(db.engine) == expected
    if older == "base":
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == {"alembic_version"}
    db.close()

    db = open_database(db_target)
    try:
        assert revision_of(db.engine) == SCHEMA_HEAD
        with db.engine.connect() as conn:
            assert schema_diffs(conn) == []
    finally:
        db.close()


def test_open_without_upgrade_refuses_an_old_schema(db_target: str) -> None:
    from db.engine import DatabaseError

    db = open_database(db_target)
    downgrade(db.engine, "base")
    db.close()
    with pytest.raises(DatabaseError, match="upgrade"):
        open_database(db_target, upgrade=False)
