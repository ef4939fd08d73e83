"""check-in desk index: a desk's last check-in found in the index, not by reading them all

Revision: 0007 (after 0006)
Written: 2026-12-07

* ``check_in (desk, recorded_at)``: "Undo last check-in" and the desk's line "Last
  check-in at this desk: …" want the latest IN row a desk recorded that no UNDO row names
  (``desktop.core.desk.last_check_in_of_desk``). With the index the database walks that
  desk's rows from the newest and stops at the first one not undone (a fraction of a
  millisecond); without it, it read and sorted every check-in of the event (0.1 s at
  100,000). One more entry per check-in written: a few microseconds against the commit.
"""

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_check_in_desk_recorded_at", "check_in", ["desk", "recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_check_in_desk_recorded_at", table_name="check_in")
