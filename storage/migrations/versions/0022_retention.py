"""Retention and erasure: what the privacy jobs need on respondents and conversations.

- respondents.last_surveyed_at: when the resident was last surveyed, rounded up to the day,
  kept on the keyed-hash row so the frequency cap still works once retention has detached
  their conversations.
- respondents.erase_asked_at: set while a DELETE awaits the resident's YES.
- conversations.redacted_at: when retention erased the conversation's message bodies and
  detached it from the resident; a partial index on updated_at over the rows not yet redacted
  lets the retention job find what fell due without scanning what it already did.

Revision ID: 0022_retention
Revises: 0021_comment_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0022_retention"
down_revision: str | None = "0021_comment_index"
branch_labels = None
depends_on = None

INDEX = "ix_conversations_unredacted_updated_at"


def upgrade() -> None:
    """Add the retention and erasure columns and the index of conversations not yet redacted."""
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("last_surveyed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("erase_asked_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        INDEX,
        "conversations",
        ["updated_at"],
        postgresql_where=sa.text("redacted_at IS NULL"),
        sqlite_where=sa.text("redacted_at IS NULL"),
    )


def downgrade() -> None:
    """Drop the index and the columns (nothing erased comes back)."""
    op.drop_index(INDEX, table_name="conversations")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("redacted_at")
    with op.batch_alter_table("respondents") as batch:
        batch.drop_column("erase_asked_at")
        batch.drop_column("last_surveyed_at")
