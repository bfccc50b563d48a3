"""A version token per scope of what the checker, planner and lists read (shared data, and each
household's private data), and a snapshot of the planned recipes and foods on every plan.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 16:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    version = op.create_table(
        'catalog_version',
        sa.Column('scope', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_catalog_version')),
    )
    # Shared data first, then every household that keeps private foods.
    scopes = [0, *(row[0] for row in op.get_bind().execute(
        sa.text('SELECT DISTINCT household_id FROM food WHERE household_id IS NOT NULL')))]
    op.bulk_insert(version, [{'scope': scope, 'token': secrets.token_hex(16)} for scope in scopes])
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
    op.drop_table('catalog_version')
