"""Replies in a chat app are scheduled items: an item need not belong to a conversation.

A reply to a resident's message on Telegram goes out through the same scheduled, paced and
retried pipeline as a survey's first text; a reply to HELP or to an opted-out resident has no
conversation, so `scheduled_items.conversation_id` becomes nullable.

Revision ID: 0012_reply_items
Revises: 0011_cards
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012_reply_items"
down_revision: str | None = "0011_cards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Let a scheduled item have no conversation."""
    with op.batch_alter_table("scheduled_items") as batch:
        batch.alter_column("conversation_id", existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    """Drop the items without a conversation (chat replies), then require one again."""
    op.execute("DELETE FROM scheduled_items WHERE conversation_id IS NULL")
    with op.batch_alter_table("scheduled_items") as batch:
        batch.alter_column("conversation_id", existing_type=sa.Uuid(), nullable=False)
