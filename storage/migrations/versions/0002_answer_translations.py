"""Translate free-text answers: translation fields on answers, a durable translation cache.

Revision ID: 0002_answer_translations
Revises: 0001_initial
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_answer_translations"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWER_COLUMNS = (
    "detected_language",
    "translation",
    "translation_language",
    "translation_provider",
    "translation_status",
    "translation_attempts",
    "translation_due_at",
    "translation_error",
)


def _answer_columns() -> list[sa.Column[object]]:
    """Return the columns free-text answers keep their translation in."""
    return [
        sa.Column("detected_language", sa.String(length=35), nullable=True),
        sa.Column("translation", sa.Text(), nullable=True),
        sa.Column("translation_language", sa.String(length=35), nullable=True),
        sa.Column("translation_provider", sa.String(length=16), nullable=True),
        sa.Column("translation_status", sa.String(length=16), nullable=True),
        # A server default, so answers stored before this migration read 0 attempts.
        sa.Column("translation_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("translation_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("translation_error", sa.String(length=200), nullable=True),
    ]


def upgrade() -> None:
    """Add the translation columns and index to answers; create the translation cache."""
    # Batch mode: SQLite adds columns in place, PostgreSQL runs plain ALTER TABLE.
    with op.batch_alter_table("answers") as batch:
        for column in _answer_columns():
            batch.add_column(column)
        batch.create_index(
            "ix_answers_translation_status_due_at", ["translation_status", "translation_due_at"]
        )
    op.create_table(
        "translations",
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=35), nullable=False),
        sa.Column("target", sa.String(length=35), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("translated_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "text_hash", "source", "target", "provider", name=op.f("pk_translations")
        ),
    )


def downgrade() -> None:
    """Drop the translation cache and the answers' translation columns."""
    op.drop_table("translations")
    with op.batch_alter_table("answers") as batch:
        batch.drop_index("ix_answers_translation_status_due_at")
        for name in reversed(ANSWER_COLUMNS):
            batch.drop_column(name)
