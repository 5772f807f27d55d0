"""Indexes the privacy jobs read by: scheduled items by message, cached translations by age.

Erasure deletes a resident's messages, and PostgreSQL then looks for the scheduled items that
point at each (ON DELETE SET NULL) and the erasure deletes them by message id: without an
index on scheduled_items.message_id both scan the table. Retention deletes cached translations
older than RETENTION_DAYS every hour: without an index on translations.created_at that scans
the cache.

Revision ID: 0023_privacy_indexes
Revises: 0022_retention
"""

from __future__ import annotations

from alembic import op

revision: str = "0023_privacy_indexes"
down_revision: str | None = "0022_retention"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_scheduled_items_message_id", "scheduled_items", "message_id"),
    ("ix_translations_created_at", "translations", "created_at"),
)


def upgrade() -> None:
    """Create both indexes."""
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    """Drop both indexes."""
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
