"""Kill requests for claimed worker jobs: ``worker_jobs.kill_requested``.

Revision ID: 0002
Revises: 0001

``WorkerQueue.cancel`` marks the jobs of killed task runs that a worker already claimed, and
each worker asks for its marked jobs (``WorkerQueue.killed``) at its heartbeat, so a kill
reaches task runs running in another process.

Frozen: never imports ``schema.py``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("worker_jobs") as batch:
        batch.add_column(
            sa.Column("kill_requested", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("worker_jobs") as batch:
        batch.drop_column("kill_requested")
