"""history notes and watch marks (issue 15)

Revision: 0012 (after 0011)
Written: 2026-12-07

* ``change_log.note`` (nullable text): what a write that is not one person's edit was — an
  import of a file, a desk file's merge — as small JSON (``{"event": 3, "file":
  "guests.xlsx", "what": "import"}``), on every history line of that write
  (``desktop.core.history`` says "Imported from guests.xlsx" where it said "Created").
* ``watch_mark``: on SQLite, every write that ``desktop.core.watch.announce``s its tables
  leaves a row here (its sender's token and the tables), in its own transaction; a window's
  watcher reads the rows that came since it last looked, so that it refreshes for the other
  processes' commits and not for its own (``PRAGMA data_version`` cannot tell whose). Old
  rows are deleted as new ones come; PostgreSQL uses notifications and leaves it empty.
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("change_log", sa.Column("note", sa.Text(), nullable=True))  # a plain ADD COLUMN on SQLite
    op.create_table(
        "watch_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("tables", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_mark")),
    )


def downgrade() -> None:
    op.drop_table("watch_mark")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("note")
