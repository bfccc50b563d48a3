"""One word per concept: a household is the group that shares an account (table "home" before),
a profile is who eats and what they avoid (table "household" before). Rows that belong to a
household say so in a column named household_id; a plan names its profile in profile_id and
keeps the profile it was made with in profile_data.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 15:40:00

"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# (table, old column, new column), in an order in which no two columns of a table share a name.
UP = [
    ('plan', 'household_id', 'profile_id'),
    ('plan', 'owner_id', 'household_id'),
    ('plan', 'profile', 'profile_data'),
    ('profile', 'owner_id', 'household_id'),
    ('food', 'owner_id', 'household_id'),
]
INDEXED = {('plan', 'household_id'), ('plan', 'owner_id'), ('profile', 'owner_id'), ('food', 'owner_id'),
           ('plan', 'profile_id'), ('profile', 'household_id'), ('food', 'household_id')}


def _rename_columns(renames: list[tuple[str, str, str]], index_tables: dict[str, str]) -> None:
    for table, old, new in renames:
        if (table, old) in INDEXED:
            op.drop_index(f'ix_{index_tables.get(table, table)}_{old}', table_name=table)
        op.alter_column(table, old, new_column_name=new)
        if (table, new) in INDEXED:
            op.create_index(f'ix_{table}_{new}', table, [new])


def upgrade():
    op.rename_table('household', 'profile')
    op.rename_table('home', 'household')
    # The profile table's index still carries the name it had under "household".
    _rename_columns(UP, {'profile': 'household'})


def downgrade():
    _rename_columns([(t, new, old) for t, old, new in reversed(UP)], {})
    op.drop_index('ix_profile_owner_id', table_name='profile')
    op.rename_table('household', 'home')
    op.rename_table('profile', 'household')
    op.create_index('ix_household_owner_id', 'household', ['owner_id'])
