"""database secret: a key only this database holds, for signing the desk files it exports

Revision: 0008 (after 0007)
Written: 2026-12-08

* ``database_secret`` (name, value, created_at): secrets of this database itself, never of
  an event. The first is ``desk-file``: 32 random bytes, made the first time a desk file is
  exported (``desktop.core.desk_file``), with which every desk file of this database is
  signed (HMAC-SHA256), so that a merge refuses a file another database wrote or anyone
  edited. The table holds no event's data: a desk file, an attendee export or any other
  export copies the event's own tables only, never this one. Empty after the migration (a
  desk file, itself a database made by these migrations, keeps its table empty).
"""

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "database_secret",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_database_secret")),
    )


def downgrade() -> None:
    op.drop_table("database_secret")
