"""initial schema

Revision: 0001 (the first)
Written: 2026-11-27 20:52:19.144874
"""

import sqlalchemy as sa
from alembic import op

import db.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('title', db.types.LocalText(), nullable=False),
    sa.Column('subtitle', db.types.LocalText(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('venue', db.types.LocalText(), nullable=False),
    sa.Column('city', db.types.LocalText(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_event_dates_in_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('uuid', name=op.f('uq_event_uuid'))
    )
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('name', db.types.LocalText(), nullable=False),
    sa.Column('short_name', db.types.LocalText(), nullable=False),
    sa.Column('sector', sa.Enum('judiciary', 'government', 'international_organisation', 'academia', 'civil_society', 'diplomatic_corps', 'media', 'other', name='sector', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('logo_mime', sa.String(length=40), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('uuid', name=op.f('uq_organisation_uuid'))
    )
    op.create_table('event_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('organiser', 'co_organiser', 'funder', 'partner', name='partner_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_organisation_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_event_organisation_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_organisation')),
    sa.UniqueConstraint('event_id', 'organisation_id', 'role', name=op.f('uq_event_organisation_event_id_organisation_id_role')),
    sa.UniqueConstraint('uuid', name=op.f('uq_event_organisation_uuid'))
    )
    with op.batch_alter_table('event_organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organisation_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_organisation_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('honorific', sa.String(length=40), nullable=True),
    sa.Column('given_name', sa.String(length=120), nullable=False),
    sa.Column('family_name', sa.String(length=120), nullable=False),
    sa.Column('patronymic', sa.String(length=120), nullable=True),
    sa.Column('display_name', db.types.LocalText(), nullable=False),
    sa.Column('position', db.types.LocalText(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('bio', db.types.LocalText(), nullable=False),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('gender', sa.Enum('female', 'male', 'not_stated', name='gender', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("given_name <> '' OR family_name <> ''", name=op.f('ck_person_has_name')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_person_organisation_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('uuid', name=op.f('uq_person_uuid'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', db.types.LocalText(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_room_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room')),
    sa.UniqueConstraint('uuid', name=op.f('uq_room_uuid'))
    )
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_event_id'), ['event_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('participant', 'speaker', 'organiser', 'press', 'interpreter', 'observer', name='category', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('invited', 'registered', 'confirmed', 'waitlisted', 'declined', 'cancelled', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('badge_code', sa.String(length=16), nullable=False),
    sa.Column('source', sa.Enum('manual', 'import', 'desk', 'demo', name='source', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('source_file', sa.String(length=260), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('source_desk', sa.String(length=80), nullable=True),
    sa.Column('interpretation', sa.String(length=8), nullable=True),
    sa.Column('dietary', sa.String(length=200), nullable=True),
    sa.Column('accessibility', sa.String(length=200), nullable=True),
    sa.Column('photo_consent', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_registration_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_registration_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('event_id', 'badge_code', name=op.f('uq_registration_event_id_badge_code')),
    sa.UniqueConstraint('event_id', 'person_id', name=op.f('uq_registration_event_id_person_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_registration_uuid'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index('ix_registration_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_person_id'), ['person_id'], unique=False)

    op.create_table('session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title', db.types.LocalText(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('colour', sa.String(length=9), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_session_times_in_order')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_session_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_session_room_id_room'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session')),
    sa.UniqueConstraint('uuid', name=op.f('uq_session_uuid'))
    )
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_event_id'), ['event_id'], unique=False)

    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('registration', 'opening', 'keynote', 'presentation', 'panel', 'discussion', 'qa', 'break', 'lunch', 'ceremony', 'closing', 'other', name='item_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', db.types.LocalText(), nullable=False),
    sa.Column('description', db.types.LocalText(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_agenda_item_times_in_order')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_agenda_item_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_agenda_item_room_id_room'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_agenda_item_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item')),
    sa.UniqueConstraint('uuid', name=op.f('uq_agenda_item_uuid'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_item_session_id'), ['session_id'], unique=False)

    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('desk', sa.String(length=80), nullable=False),
    sa.Column('action', sa.Enum('in', 'out', 'undo', name='check_in_action', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('undoes', sa.Uuid(), nullable=True),
    sa.Column('happened_at', db.types.UTCDateTime(), nullable=False),
    sa.Column('recorded_at', db.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("(action = 'undo') = (undoes IS NOT NULL)", name=op.f('ck_check_in_undo_names_target')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_check_in_registration_id_registration'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in')),
    sa.UniqueConstraint('uuid', name=op.f('uq_check_in_uuid'))
    )
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_registration_id'), ['registration_id'], unique=False)

    op.create_table('role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('speaker', 'moderator', 'panelist', 'discussant', 'rapporteur', name='role_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('(session_id IS NULL) <> (item_id IS NULL)', name=op.f('ck_role_in_session_or_item')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_item.id'], name=op.f('fk_role_item_id_agenda_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_role_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_role_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role')),
    sa.UniqueConstraint('uuid', name=op.f('uq_role_uuid'))
    )
    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_session_id'))
        batch_op.drop_index(batch_op.f('ix_role_person_id'))
        batch_op.drop_index(batch_op.f('ix_role_item_id'))

    op.drop_table('role')
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_registration_id'))

    op.drop_table('check_in')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_session_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_item_event_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_event_id'))

    op.drop_table('session')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_person_id'))
        batch_op.drop_index('ix_registration_event_status')

    op.drop_table('registration')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_event_id'))

    op.drop_table('room')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_person_email'))

    op.drop_table('person')
    with op.batch_alter_table('event_organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_organisation_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_event_organisation_event_id'))

    op.drop_table('event_organisation')
    op.drop_table('organisation')
    op.drop_table('event')
