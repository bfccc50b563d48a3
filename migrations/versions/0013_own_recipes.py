"""A household's own recipes: private recipes with their ingredient lines, notes, source and photo.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 00:10:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recipe') as batch:
        batch.add_column(sa.Column('household_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('lines', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('source_url', sa.String(length=500), nullable=True))
        batch.create_foreign_key(op.f('fk_recipe_household_id_household'), 'household', ['household_id'], ['id'],
                                 ondelete='CASCADE')
        batch.create_index(op.f('ix_recipe_household_id'), ['household_id'])
        # Two households may both call a dish "Banana bread"; one household may not twice.
        batch.drop_constraint(op.f('uq_recipe_title'), type_='unique')
        batch.create_unique_constraint('one_title_per_household', ['household_id', 'title'])
    op.create_table(
        'recipe_image',
        sa.Column('recipe_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('content_type', sa.String(length=30), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['recipe_id'], ['recipe.id'], name=op.f('fk_recipe_image_recipe_id_recipe'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('recipe_id', name=op.f('pk_recipe_image')),
    )


def downgrade():
    op.drop_table('recipe_image')
    with op.batch_alter_table('recipe') as batch:
        batch.drop_constraint('one_title_per_household', type_='unique')
        batch.create_unique_constraint(op.f('uq_recipe_title'), ['title'])
        batch.drop_index(op.f('ix_recipe_household_id'))
        batch.drop_constraint(op.f('fk_recipe_household_id_household'), type_='foreignkey')
        batch.drop_column('source_url')
        batch.drop_column('lines')
        batch.drop_column('notes')
        batch.drop_column('household_id')
