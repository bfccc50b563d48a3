"""Calcium, iron, vitamin B12 and vitamin D per 100 g on every food; how many days a recipe
keeps in the fridge; how each ingredient goes in (cooked with the dish, raw, or at the end).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 16:05:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

MICRONUTRIENTS = ('calcium_mg', 'iron_mg', 'vitamin_b12_ug', 'vitamin_d_ug')


def upgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        for name in MICRONUTRIENTS:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=False, server_default='0'))
    with op.batch_alter_table('recipe', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keeps_days', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('recipe_ingredient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added', sa.String(length=10), nullable=False, server_default='cooked'))


def downgrade():
    with op.batch_alter_table('recipe_ingredient', schema=None) as batch_op:
        batch_op.drop_column('added')
    with op.batch_alter_table('recipe', schema=None) as batch_op:
        batch_op.drop_column('keeps_days')
    with op.batch_alter_table('food', schema=None) as batch_op:
        for name in reversed(MICRONUTRIENTS):
            batch_op.drop_column(name)
