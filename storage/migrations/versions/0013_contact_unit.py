"""The unit (team, precinct) of the officer a contact is about: exports and results read it.

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
    """Add contacts.unit."""
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("unit", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Drop contacts.unit."""
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("unit")
