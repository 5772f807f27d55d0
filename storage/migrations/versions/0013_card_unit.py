"""The unit (team, precinct) of a card's officer, and of the contact a survey is about.

Revision ID: 0013_card_unit
Revises: 0012_reply_items
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013_card_unit"
down_revision: str | None = "0012_reply_items"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add cards.unit and contacts.unit."""
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("unit", sa.String(length=64), nullable=True))
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("unit", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Drop contacts.unit and cards.unit."""
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("unit")
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("unit")
