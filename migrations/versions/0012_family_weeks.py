"""A week a family cooks: side dishes, leftovers, ratings, and undo for a redone or deleted week.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 20:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recipe') as batch:
        batch.add_column(sa.Column('course', sa.String(length=10), server_default='main', nullable=False))
    with op.batch_alter_table('plan_slot') as batch:
        batch.add_column(sa.Column('sides', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('cooked_day', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('cooked_meal', sa.String(length=12), nullable=True))
    with op.batch_alter_table('plan') as batch:
        batch.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('undo', sa.JSON(), nullable=True))
    op.create_table(
        'rating',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('member', sa.String(length=40), nullable=False),
        sa.Column('recipe', sa.String(length=80), nullable=False),
        sa.Column('rating', sa.String(length=10), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_rating_household_id_household'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rating')),
        sa.UniqueConstraint('household_id', 'member', 'recipe', name='one_rating_per_member'),
    )
    op.create_index(op.f('ix_rating_household_id'), 'rating', ['household_id'])


def downgrade():
    op.drop_index(op.f('ix_rating_household_id'), table_name='rating')
    op.drop_table('rating')
    with op.batch_alter_table('plan') as batch:
        batch.drop_column('undo')
        batch.drop_column('deleted_at')
    with op.batch_alter_table('plan_slot') as batch:
        batch.drop_column('cooked_meal')
        batch.drop_column('cooked_day')
        batch.drop_column('sides')
    with op.batch_alter_table('recipe') as batch:
        batch.drop_column('course')
