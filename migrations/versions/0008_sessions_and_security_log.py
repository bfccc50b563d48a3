"""Server-side sessions, log-in limits and the security log.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 17:50:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
