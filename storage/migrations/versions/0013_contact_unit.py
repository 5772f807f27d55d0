"""The unit (team, precinct) of the officer a contact is about, and the order exports page in.

Exports and results read contacts.unit; exports walk conversations by (created_at, id), a
page at a time, which without an index would sort the whole table for every page.

Revision ID: 0013_contact_unit
Revises: 0012_reply_items
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013_contact_unit"
down_revision: str | None = "0012_reply_items"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add contacts.unit and the index of conversations by (created_at, id)."""
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("unit", sa.String(length=64), nullable=True))
    op.create_index("ix_conversations_created_at_id", "conversations", ["created_at", "id"])


def downgrade() -> None:
    """Drop the index of conversations by (created_at, id), and contacts.unit."""
    op.drop_index("ix_conversations_created_at_id", table_name="conversations")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("unit")
