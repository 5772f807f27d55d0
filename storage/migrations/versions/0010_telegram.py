"""The answer buttons a chat app's message was sent with (Telegram's inline keyboard).

Revision ID: 0010_telegram
Revises: 0009_flow_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010_telegram"
down_revision: str | None = "0009_flow_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add messages.buttons."""
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("buttons", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop messages.buttons."""
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("buttons")
