"""Fair use: request counts per account or address and time window, and the leases of heavy
jobs running. Recent checks kept with the login session on the server, no longer in the cookie.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 18:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'usage_count',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('window', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', 'window', name=op.f('pk_usage_count')),
    )
    op.create_table(
        'lease',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('owner', sa.String(length=200), nullable=False),
        sa.Column('started', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lease')),
    )
    with op.batch_alter_table('lease', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_lease_owner'), ['owner'], unique=False)
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recent_checks', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('recent_checks')
    with op.batch_alter_table('lease', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_owner'))
        batch_op.drop_index(batch_op.f('ix_lease_kind'))
    op.drop_table('lease')
    op.drop_table('usage_count')
