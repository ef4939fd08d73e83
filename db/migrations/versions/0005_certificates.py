"""certificates: their numbers, and the signatories an event chooses for them

Revision: 0005 (after 0004)
Written: 2026-12-07

* ``certificate``: one row per registration whose certificate has been printed, with the
  number the paper shows ("7-0012": the event's id and a serial counted per event from 1),
  unique in the database, so that ``verify-certificate NUMBER`` can say whose it is. Made
  the first time a registration's certificate is printed and kept for its reprints
  (``desktop.core.certificates``). It goes with its registration and its event
  (``ON DELETE CASCADE``).
* ``event.signatory1_name``, ``signatory1_title``, ``signatory2_name``,
  ``signatory2_title``: who signs the event's certificates, each a text in every language
  (JSON; JSONB on PostgreSQL). Added in place by plain ``ADD COLUMN`` and nullable, as an
  empty text reads back as ``{}``: re-creating ``event`` on SQLite (a batch) would delete,
  with foreign keys on, everything that points to it (see migration 0004).
"""

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

SIGNATORY_COLUMNS = ("signatory1_name", "signatory1_title", "signatory2_name", "signatory2_title")


def upgrade() -> None:
    for column in SIGNATORY_COLUMNS:
        op.add_column("event", sa.Column(column, db.types.LocalText(), nullable=True))
    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issued_at", db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("serial > 0", name=op.f("ck_certificate_serial_positive")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_certificate_event_id_event"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"],
                                name=op.f("fk_certificate_registration_id_registration"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
        sa.UniqueConstraint("event_id", "serial", name=op.f("uq_certificate_event_id_serial")),
        sa.UniqueConstraint("number", name=op.f("uq_certificate_number")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_certificate_registration_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_certificate_uuid")),
    )


def downgrade() -> None:
    op.drop_table("certificate")
    # In place (ALTER TABLE … DROP COLUMN: SQLite 3.35+).
    for column in reversed(SIGNATORY_COLUMNS):
        op.execute(f"ALTER TABLE event DROP COLUMN {column}")
