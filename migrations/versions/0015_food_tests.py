"""Guided food tests: a suspect left out, then served back at three sizes; a week keeps its serves.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 03:45:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'food_test',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('member', sa.String(length=40), nullable=False),
        sa.Column('item', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column('elimination_weeks', sa.Integer(), nullable=False),
        sa.Column('washout_days', sa.Integer(), nullable=False),
        sa.Column('left_out', sa.JSON(), nullable=False),
        sa.Column('serves', sa.JSON(), nullable=False),
        sa.Column('provider_agrees', sa.Boolean(), nullable=False),
        sa.Column('paused', sa.String(length=300), server_default='', nullable=False),
        sa.Column('resumed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('stopped', sa.Boolean(), nullable=False),
        sa.Column('result', sa.String(length=12), server_default='', nullable=False),
        sa.Column('result_day', sa.Date(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('food', 'tag')", name=op.f('ck_food_test_known_kind')),
        sa.CheckConstraint("result IN ('', 'tolerated', 'low', 'moderate', 'high')",
                           name=op.f('ck_food_test_known_result')),
        sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_food_test_household_id_household'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_food_test')),
    )
    op.create_index(op.f('ix_food_test_household_id'), 'food_test', ['household_id'])
    with op.batch_alter_table('plan') as batch:
        batch.add_column(sa.Column('food_tests', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('plan') as batch:
        batch.drop_column('food_tests')
    op.drop_index(op.f('ix_food_test_household_id'), table_name='food_test')
    op.drop_table('food_test')
