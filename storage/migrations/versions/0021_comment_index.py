"""Free-text answers indexed newest first, for the results dashboard's comments page.

Only free-text answers carry a translation status, so a partial index on them stays small; the
comments page reads it newest first and stops after a page instead of sorting every answer in
the range (about 300 ms to 10-85 ms over 1,000,000 conversations, bench/dashboard.py).

Revision ID: 0021_comment_index
Revises: 0020_conversation_progress
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0021_comment_index"
down_revision: str | None = "0020_conversation_progress"
branch_labels = None
depends_on = None

FREE_TEXT = sa.text("translation_status IS NOT NULL")


def upgrade() -> None:
    """Index free-text answers by when they were given."""
    op.create_index(
        "ix_answers_comments",
        "answers",
        ["answered_at", "id"],
        postgresql_where=FREE_TEXT,
        sqlite_where=FREE_TEXT,
    )


def downgrade() -> None:
    """Drop the free-text answers' index."""
    op.drop_index("ix_answers_comments", table_name="answers")
