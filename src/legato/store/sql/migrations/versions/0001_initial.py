"""The initial schema: flows, executions, the executor event queue and its locks, worker jobs
and heartbeats, logs, metrics, KV.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from legato.store.sql.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The first revision is the schema module itself. The next schema change must freeze these
# tables here (op.create_table) before editing schema.py, and add revision 0002.


def upgrade() -> None:
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
