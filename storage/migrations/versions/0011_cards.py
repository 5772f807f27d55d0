"""Survey cards (stored by a keyed hash of their code) and the wrong codes residents sent.

Revision ID: 0011_cards
Revises: 0010_telegram
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011_cards"
down_revision: str | None = "0010_telegram"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the cards and card_attempts tables."""
    op.create_table(
        "cards",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("officer_id", sa.String(length=64), nullable=True),
        sa.Column("incident_id", sa.String(length=64), nullable=True),
        sa.Column("call_type", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("reusable", sa.Boolean(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_cards_code_hash")),
    )
    op.create_table(
        "card_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("respondent_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_card_attempts_respondent_id_respondents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_attempts")),
    )
    op.create_index(
        "ix_card_attempts_respondent_id_at", "card_attempts", ["respondent_id", "at"], unique=False
    )


def downgrade() -> None:
    """Drop the cards and card_attempts tables."""
    op.drop_index("ix_card_attempts_respondent_id_at", table_name="card_attempts")
    op.drop_table("card_attempts")
    op.drop_table("cards")
