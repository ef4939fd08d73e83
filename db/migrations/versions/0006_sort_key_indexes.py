"""sort key indexes: lists by name read their first rows from an index

Revision: 0006 (after 0005)
Written: 2026-12-07

* ``person_key.sort_en``, ``sort_ru``, ``sort_kk`` (migration 0004) each get an index.
  A list by name — the People roster of 100,000 — then reads a window of ids in key order
  from the index (a millisecond) instead of sorting every person's key for each window
  (0.1–0.5 s at 100,000), and every id in order in some 25 ms
  (``desktop.core.roster_list``). Plain ``CREATE INDEX``: ``person_key`` is derived data,
  not in the models (``db/search.py``'s ``include_name`` leaves it out of comparisons).
"""

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

KEY_TABLE = "person_key"
KEY_COLUMNS = ("sort_en", "sort_ru", "sort_kk")


def upgrade() -> None:
    for column in KEY_COLUMNS:
        op.create_index(f"ix_{KEY_TABLE}_{column}", KEY_TABLE, [column])


def downgrade() -> None:
    for column in reversed(KEY_COLUMNS):
        op.drop_index(f"ix_{KEY_TABLE}_{column}", table_name=KEY_TABLE)
