"""Running the Alembic migrations programmatically (loaded only when a schema must change)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant will do: it keeps two desks from migrating one server at the same moment.
_PG_LOCK_KEY = 0x43_44_45_53_4B  # "CDESK"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def script_heads() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def script_revisions() -> tuple[str, ...]:
    script = ScriptDirectory.from_config(alembic_config())
    return tuple(rev.revision for rev in script.walk_revisions())


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema in one transaction (a failed upgrade leaves the old schema)."""
    cfg = alembic_config()
    with engine.execution_options(cd_immediate=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.execution_options(cd_immediate=True).begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
