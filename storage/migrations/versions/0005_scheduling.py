"""Scheduled sends, sender pacing, do-not-survey, dispositions and one survey per incident.

Revision ID: 0005_scheduling
Revises: 0004_refusal_reason
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def UtcDateTime() -> sa.DateTime:  # noqa: N802 - reads like the model's column type
    """Return a timezone-aware timestamp type (storage.models.UtcDateTime in the models)."""
    return sa.DateTime(timezone=True)

revision: str = "0005_scheduling"
down_revision: str | None = "0004_refusal_reason"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the scheduling tables and the columns the send rules read."""
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("do_not_survey_at", UtcDateTime(), nullable=True))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("disposition", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("scheduled_for", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("expires_at", UtcDateTime(), nullable=True))
        batch.add_column(
            sa.Column("reminders_pending", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("contacts") as batch:
        batch.create_unique_constraint(
            "uq_contacts_respondent_id_incident_id", ["respondent_id", "incident_id"]
        )
    _create_scheduled_items()
    op.create_table(
        "sender_slots",
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("next_free_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sender", name=op.f("pk_sender_slots")),
    )


def _create_scheduled_items() -> None:
    """Create scheduled_items and the sweep's index."""
    op.create_table(
        "scheduled_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("paced", sa.Boolean(), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_scheduled_items_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_scheduled_items_message_id_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_items")),
        sa.UniqueConstraint(
            "conversation_id", "kind", "ordinal", name=op.f("uq_scheduled_items_conversation_id_kind_ordinal")
        ),
    )
    op.create_index(
        "ix_scheduled_items_status_due_at", "scheduled_items", ["status", "due_at"], unique=False
    )


def downgrade() -> None:
    """Drop what upgrade added."""
    op.drop_index("ix_scheduled_items_status_due_at", table_name="scheduled_items")
    op.drop_table("scheduled_items")
    op.drop_table("sender_slots")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_constraint("uq_contacts_respondent_id_incident_id", type_="unique")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("reminders_pending")
        batch.drop_column("expires_at")
        batch.drop_column("scheduled_for")
        batch.drop_column("disposition")
    with op.batch_alter_table("respondents") as batch:
        batch.drop_column("do_not_survey_at")
