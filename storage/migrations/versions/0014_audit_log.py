"""The audit log: sign-ins, account and token changes, with who and when.

Revision ID: 0014_audit_log
Revises: 0013_card_unit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014_audit_log"
down_revision: str | None = "0013_card_unit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the audit_log table and its indexes."""
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=254), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"], unique=False)
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"], unique=False)


def downgrade() -> None:
    """Drop the audit_log table."""
    op.drop_index("ix_audit_log_action_at", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
