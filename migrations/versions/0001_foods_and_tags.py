"""Foods and the tags they carry.

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 05:36:58.246350

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('food',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('synonyms', sa.JSON(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('nova_group', sa.Integer(), nullable=False),
    sa.Column('energy_kcal', sa.Float(), nullable=False),
    sa.Column('protein_g', sa.Float(), nullable=False),
    sa.Column('fat_g', sa.Float(), nullable=False),
    sa.Column('saturated_fat_g', sa.Float(), nullable=False),
    sa.Column('carbohydrate_g', sa.Float(), nullable=False),
    sa.Column('fibre_g', sa.Float(), nullable=False),
    sa.Column('sugars_g', sa.Float(), nullable=False),
    sa.Column('sodium_mg', sa.Float(), nullable=False),
    sa.Column('alcohol_g', sa.Float(), nullable=False),
    sa.Column('portion_g', sa.Float(), nullable=False),
    sa.Column('portion_measure', sa.String(length=60), nullable=False),
    sa.Column('aisle', sa.String(length=40), nullable=False),
    sa.Column('purchase_unit', sa.String(length=60), nullable=False),
    sa.Column('purchase_grams', sa.Float(), nullable=False),
    sa.Column('plant_key', sa.String(length=80), nullable=True),
    sa.Column('source_name', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.String(length=40), nullable=True),
    sa.Column('source_note', sa.String(length=200), nullable=True),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('seed_digest', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('nova_group BETWEEN 1 AND 4', name=op.f('ck_food_nova_group_range')),
    sa.CheckConstraint('portion_g > 0', name=op.f('ck_food_portion_positive')),
    sa.CheckConstraint('purchase_grams > 0', name=op.f('ck_food_purchase_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_food')),
    sa.UniqueConstraint('name', name=op.f('uq_food_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_food_slug'))
    )
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_food_category'), ['category'], unique=False)

    op.create_table('tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=400), nullable=False),
    sa.Column('derived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tag')),
    sa.UniqueConstraint('slug', name=op.f('uq_tag_slug'))
    )
    op.create_table('food_tag',
    sa.Column('food_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['food_id'], ['food.id'], name=op.f('fk_food_tag_food_id_food'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_food_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('food_id', 'tag_id', name=op.f('pk_food_tag'))
    )


def downgrade():
    op.drop_table('food_tag')
    op.drop_table('tag')
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_food_category'))

    op.drop_table('food')
