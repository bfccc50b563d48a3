"""Shopping lists: ticks and removed items, extras added by hand, and each household's shopping settings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 06:17:59.721354

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shopping_extra',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=120), nullable=False),
    sa.Column('food_id', sa.Integer(), nullable=True),
    sa.Column('grams', sa.Float(), nullable=True),
    sa.Column('checked', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['food_id'], ['food.id'], name=op.f('fk_shopping_extra_food_id_food'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_shopping_extra_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shopping_extra'))
    )
    with op.batch_alter_table('shopping_extra', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shopping_extra_food_id'), ['food_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shopping_extra_plan_id'), ['plan_id'], unique=False)

    op.create_table('shopping_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('food_id', sa.Integer(), nullable=False),
    sa.Column('checked', sa.Boolean(), nullable=False),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['food_id'], ['food.id'], name=op.f('fk_shopping_mark_food_id_food'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_shopping_mark_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shopping_mark')),
    sa.UniqueConstraint('plan_id', 'food_id', name='one_mark_per_food')
    )
    with op.batch_alter_table('shopping_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shopping_mark_food_id'), ['food_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shopping_mark_plan_id'), ['plan_id'], unique=False)

    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shopping', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_column('shopping')

    with op.batch_alter_table('shopping_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shopping_mark_plan_id'))
        batch_op.drop_index(batch_op.f('ix_shopping_mark_food_id'))

    op.drop_table('shopping_mark')
    with op.batch_alter_table('shopping_extra', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shopping_extra_plan_id'))
        batch_op.drop_index(batch_op.f('ix_shopping_extra_food_id'))

    op.drop_table('shopping_extra')
