"""Every loaded version of every flow, kept so a conversation runs to its end on its own version.

Revision ID: 0009_flow_versions
Revises: 0008_emergency_pointer
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009_flow_versions"
down_revision: str | None = "0008_emergency_pointer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the flow_versions table."""
    op.create_table(
        "flow_versions",
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("flow_id", "number", name=op.f("pk_flow_versions")),
        sa.UniqueConstraint("flow_id", "digest", name=op.f("uq_flow_versions_flow_id_digest")),
    )


def downgrade() -> None:
    """Drop the flow_versions table."""
    op.drop_table("flow_versions")
