"""When a conversation last told the resident to call the emergency number (once per conversation).

Revision ID: 0008_emergency_pointer
Revises: 0007_token_scopes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008_emergency_pointer"
down_revision: str | None = "0007_token_scopes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add conversations.emergency_pointer_at."""
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("emergency_pointer_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop conversations.emergency_pointer_at."""
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("emergency_pointer_at")
