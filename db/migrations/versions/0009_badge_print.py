"""badge print: when and at which desk a registration's badge was printed

Revision: 0009 (after 0008)
Written: 2026-12-09

* ``badge_print`` (uuid, registration, desk, printed_at, recorded_at): one append-only row
  per badge a desk printed (``desktop.core.badge_prints``). A desk that prints on check-in
  asks "badge already printed at … — print again?" when the registration has one. Rows
  travel in desk files and come back with a merge by their uuid, as check-ins do. Deleting
  a registration deletes its rows (a record of paper, not of attendance).
"""

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "badge_print",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("desk", sa.String(length=80), nullable=False),
        sa.Column("printed_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("recorded_at", db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"],
                                name=op.f("fk_badge_print_registration_id_registration"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_badge_print")),
        sa.UniqueConstraint("uuid", name=op.f("uq_badge_print_uuid")),
    )
    with op.batch_alter_table("badge_print", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_badge_print_registration_id"), ["registration_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("badge_print", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_badge_print_registration_id"))
    op.drop_table("badge_print")
