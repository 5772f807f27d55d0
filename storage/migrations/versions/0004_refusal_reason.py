"""Record why a survey was refused before anything was sent.

Revision ID: 0004_refusal_reason
Revises: 0003_language_menu
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_refusal_reason"
down_revision: str | None = "0003_language_menu"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add conversations.refusal_reason."""
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("refusal_reason", sa.String(length=32), nullable=True))


def downgrade() -> None:
    """Drop conversations.refusal_reason."""
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("refusal_reason")
