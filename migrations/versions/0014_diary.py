"""A food and symptom diary per member.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 00:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'diary_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('member', sa.String(length=40), nullable=False),
        sa.Column('time', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('item', sa.String(length=120), nullable=False),
        sa.Column('amount', sa.Float(), nullable=True),
        sa.Column('unit', sa.String(length=20), server_default='', nullable=False),
        sa.Column('note', sa.String(length=300), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('food', 'meal', 'symptom', 'stool', 'sleep', 'stress', 'movement', 'medicine')",
                           name=op.f('ck_diary_entry_known_kind')),
        sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_diary_entry_household_id_household'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_entry')),
    )
    op.create_index(op.f('ix_diary_entry_household_id'), 'diary_entry', ['household_id'])
    op.create_index('ix_diary_entry_member_time', 'diary_entry', ['household_id', 'member', 'time'])


def downgrade():
    op.drop_index('ix_diary_entry_member_time', table_name='diary_entry')
    op.drop_index(op.f('ix_diary_entry_household_id'), table_name='diary_entry')
    op.drop_table('diary_entry')
