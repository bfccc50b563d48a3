"""Products looked up by barcode on Open Food Facts, kept with an expiry.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'product_cache',
        sa.Column('barcode', sa.String(length=14), nullable=False),
        sa.Column('found', sa.Boolean(), nullable=False),
        sa.Column('product', sa.JSON(), nullable=False),
        sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('barcode', name=op.f('pk_product_cache')),
    )


def downgrade():
    op.drop_table('product_cache')
