"""Recipes, household profiles and saved plans.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 06:00:57.606372

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('household',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household'))
    )
    op.create_table('recipe',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=90), nullable=False),
    sa.Column('description', sa.String(length=240), nullable=False),
    sa.Column('meals', sa.JSON(), nullable=False),
    sa.Column('servings', sa.Integer(), nullable=False),
    sa.Column('prep_minutes', sa.Integer(), nullable=False),
    sa.Column('cook_minutes', sa.Integer(), nullable=False),
    sa.Column('kid_friendly', sa.Boolean(), nullable=False),
    sa.Column('keeps', sa.Boolean(), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('seed_digest', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('prep_minutes >= 0 AND cook_minutes >= 0', name=op.f('ck_recipe_minutes_positive')),
    sa.CheckConstraint('servings >= 1', name=op.f('ck_recipe_servings_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipe')),
    sa.UniqueConstraint('slug', name=op.f('uq_recipe_slug')),
    sa.UniqueConstraint('title', name=op.f('uq_recipe_title'))
    )
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('profile', sa.JSON(), nullable=False),
    sa.Column('solver_status', sa.String(length=20), nullable=False),
    sa.Column('solver_seconds', sa.Float(), nullable=False),
    sa.Column('solver_gap', sa.Float(), nullable=True),
    sa.Column('objective', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_plan_household_id_household'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan'))
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_household_id'), ['household_id'], unique=False)

    op.create_table('recipe_ingredient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('food_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('grams', sa.Float(), nullable=False),
    sa.Column('note', sa.String(length=60), nullable=True),
    sa.CheckConstraint('grams > 0', name=op.f('ck_recipe_ingredient_grams_positive')),
    sa.ForeignKeyConstraint(['food_id'], ['food.id'], name=op.f('fk_recipe_ingredient_food_id_food'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipe.id'], name=op.f('fk_recipe_ingredient_recipe_id_recipe'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipe_ingredient')),
    sa.UniqueConstraint('recipe_id', 'food_id', name='one_row_per_food')
    )
    with op.batch_alter_table('recipe_ingredient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recipe_ingredient_food_id'), ['food_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipe_ingredient_recipe_id'), ['recipe_id'], unique=False)

    op.create_table('plan_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('meal', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('servings', sa.Float(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_slot_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipe.id'], name=op.f('fk_plan_slot_recipe_id_recipe'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_slot')),
    sa.UniqueConstraint('plan_id', 'day', 'meal', name='one_dish_per_slot')
    )
    with op.batch_alter_table('plan_slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_slot_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_slot_recipe_id'), ['recipe_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_slot_recipe_id'))
        batch_op.drop_index(batch_op.f('ix_plan_slot_plan_id'))

    op.drop_table('plan_slot')
    with op.batch_alter_table('recipe_ingredient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipe_ingredient_recipe_id'))
        batch_op.drop_index(batch_op.f('ix_recipe_ingredient_food_id'))

    op.drop_table('recipe_ingredient')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_household_id'))

    op.drop_table('plan')
    op.drop_table('recipe')
    op.drop_table('household')
