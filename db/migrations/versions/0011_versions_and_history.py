"""versions and history: several organisers on one database (issue 15)

Revision: 0011 (after 0010)
Written: 2026-12-07

* ``version`` (integer, 1 for every row there is) on the editable tables: organisation,
  person, event, event_organisation, room, session, agenda_item, role, registration.
  ``desktop.core.changes`` raises it at every edit and undo of the row.
* ``change_log``: the history of edits — who, when, which row, which field, old and new
  values (``db.models.ChangeLog``; written by ``desktop.core.changes``).
"""

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

VERSIONED = ("organisation", "person", "event", "event_organisation", "room", "session", "agenda_item", "role",
             "registration")


def upgrade() -> None:
    for table in VERSIONED:  # a plain ADD COLUMN on SQLite too: no copy of the table (its keys stay)
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edit", sa.Uuid(), nullable=False),
        sa.Column("at", db.types.UTCDateTime(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_uuid", sa.Uuid(), nullable=True),
        sa.Column("row_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index("ix_change_log_row", ["table_name", "row_uuid"], unique=False)
        batch_op.create_index("ix_change_log_edit", ["edit"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_edit")
        batch_op.drop_index("ix_change_log_row")
    op.drop_table("change_log")
    for table in reversed(VERSIONED):
        op.drop_column(table, "version")
