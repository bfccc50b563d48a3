"""Concurrent edits: versions and unique keys for idempotent writes.

A profile counts its saves (a form opened before another save is refused), and a list
holds the same words added by hand once, so adding them twice is adding them once.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 17:50:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

extra = sa.table('shopping_extra', sa.column('id', sa.Integer), sa.column('plan_id', sa.Integer),
                 sa.column('text', sa.String), sa.column('checked', sa.Boolean))


def _merge_duplicate_extras():
    """Keep the first of each plan's extras with the same words, ticked if any copy was."""
    connection = op.get_bind()
    first = {}
    ticked = set()
    gone = []
    rows = connection.execute(sa.select(extra.c.id, extra.c.plan_id, extra.c.text, extra.c.checked)
                              .order_by(extra.c.id))
    for id_, plan_id, text, checked in rows:
        kept = first.setdefault((plan_id, text), id_)
        if kept != id_:
            gone.append(id_)
        if checked:
            ticked.add(kept)
    if gone:
        connection.execute(sa.update(extra).where(extra.c.id.in_(ticked)).values(checked=True))
        connection.execute(sa.delete(extra).where(extra.c.id.in_(gone)))


def upgrade():
    with op.batch_alter_table('profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    _merge_duplicate_extras()
    with op.batch_alter_table('shopping_extra', schema=None) as batch_op:
        batch_op.create_unique_constraint('one_extra_per_text', ['plan_id', 'text'])


def downgrade():
    with op.batch_alter_table('shopping_extra', schema=None) as batch_op:
        batch_op.drop_constraint('one_extra_per_text', type_='unique')
    with op.batch_alter_table('profile', schema=None) as batch_op:
        batch_op.drop_column('version')
