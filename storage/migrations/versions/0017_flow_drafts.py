"""Flows edited in the database: versions keep their files and origin; drafts; call-type routes.

Revision ID: 0017_flow_drafts
Revises: 0016_alerts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017_flow_drafts"
down_revision: str | None = "0016_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add flow_versions.origin, published_by and files; create flow_drafts and flow_routes."""
    with op.batch_alter_table("flow_versions") as batch:
        # Versions recorded before this came from the flow files read at start.
        batch.add_column(
            sa.Column("origin", sa.String(length=200), nullable=False, server_default="from files")
        )
        batch.add_column(sa.Column("published_by", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("files", sa.JSON(), nullable=True))
    op.create_table(
        "flow_drafts",
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("based_on", sa.Integer(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=True),
        sa.PrimaryKeyConstraint("flow_id", name=op.f("pk_flow_drafts")),
    )
    op.create_table(
        "flow_routes",
        sa.Column("call_type", sa.String(length=64), nullable=False),
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=True),
        sa.PrimaryKeyConstraint("call_type", name=op.f("pk_flow_routes")),
    )


def downgrade() -> None:
    """Drop flow_routes and flow_drafts, and the columns added to flow_versions."""
    op.drop_table("flow_routes")
    op.drop_table("flow_drafts")
    with op.batch_alter_table("flow_versions") as batch:
        batch.drop_column("files")
        batch.drop_column("published_by")
        batch.drop_column("origin")
