"""Conversations indexed in the order exports page through them: (created_at, id).

Exports walk conversations a page at a time after the last page's (created_at, id); without
this index every page would sort the whole table.

Revision ID: 0015_export_order
Revises: 0014_audit_log
"""

from __future__ import annotations

from alembic import op

revision: str = "0015_export_order"
down_revision: str | None = "0014_audit_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index conversations by (created_at, id)."""
    op.create_index("ix_conversations_created_at_id", "conversations", ["created_at", "id"])


def downgrade() -> None:
    """Drop the index of conversations by (created_at, id)."""
    op.drop_index("ix_conversations_created_at_id", table_name="conversations")
