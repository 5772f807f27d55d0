"""Remember that a resident has the language menu open.

Revision ID: 0003_language_menu
Revises: 0002_answer_translations
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0003_language_menu"
down_revision: str | None = "0002_answer_translations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add respondents.menu_open_at."""
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("menu_open_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    """Drop respondents.menu_open_at."""
    with op.batch_alter_table("respondents") as batch:
        batch.drop_column("menu_open_at")
