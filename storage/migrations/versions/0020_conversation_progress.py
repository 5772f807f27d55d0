"""How far each conversation got, on its own row: sent_at, delivered_at and answered_at.

The results funnel used to group every conversation's messages and answers to learn whether
it was sent, delivered or started (seconds at a million surveys); the services now record each
first event on the conversation in the same transaction (storage.lifecycle). Existing rows are
backfilled here in three set-based UPDATEs: sent_at from the first outbound text a provider
took (its created_at: when it was composed, the closest time the log kept), delivered_at from
the first text reported delivered or read (its updated_at: that report's time, or a later
"read"'s), answered_at from the first answer.

Revision ID: 0020_conversation_progress
Revises: 0019_encrypted_addresses
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0020_conversation_progress"
down_revision: str | None = "0019_encrypted_addresses"
branch_labels = None
depends_on = None

COLUMNS = ("sent_at", "delivered_at", "answered_at")
# Each a single grouped pass (UPDATE … FROM: PostgreSQL, SQLite 3.33+), not a probe per row.
# The statuses are bot.scheduling.states.REACHED and DELIVERED as they were when this ran: a
# migration keeps its own copy, so later edits to the code never change what an upgrade did.
BACKFILL = (
    "UPDATE conversations SET sent_at = found.at FROM ("
    " SELECT conversation_id AS id, min(created_at) AS at FROM messages"
    " WHERE direction = 'out' AND conversation_id IS NOT NULL AND status IN"
    " ('accepted', 'scheduled', 'sent', 'delivered', 'read', 'undelivered', 'replied_inline')"
    " GROUP BY conversation_id) AS found WHERE conversations.id = found.id",
    "UPDATE conversations SET delivered_at = found.at FROM ("
    " SELECT conversation_id AS id, min(updated_at) AS at FROM messages"
    " WHERE direction = 'out' AND conversation_id IS NOT NULL AND status IN ('delivered', 'read')"
    " GROUP BY conversation_id) AS found WHERE conversations.id = found.id",
    "UPDATE conversations SET answered_at = found.at FROM ("
    " SELECT conversation_id AS id, min(answered_at) AS at FROM answers"
    " GROUP BY conversation_id) AS found WHERE conversations.id = found.id",
)


def upgrade() -> None:
    """Add the three progress columns and fill them from the messages and answers stored."""
    with op.batch_alter_table("conversations") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    """Drop the progress columns (the messages and answers still say it all)."""
    with op.batch_alter_table("conversations") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
