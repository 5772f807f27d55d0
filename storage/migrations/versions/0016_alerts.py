"""Alerts and commendations raised by answers, and their deliveries to supervisors.

Revision ID: 0016_alerts
Revises: 0015_export_order
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016_alerts"
down_revision: str | None = "0015_export_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the alerts and alert_deliveries tables."""
    _create_alerts()
    _create_deliveries()


def _create_alerts() -> None:
    """Create the alerts table: one row per rule a conversation met."""
    op.create_table(
        "alerts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=100), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.String(length=64), nullable=True),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=254), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_alerts_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("conversation_id", "rule", name=op.f("uq_alerts_conversation_id_rule")),
    )
    op.create_index("ix_alerts_unit_created_at", "alerts", ["unit", "created_at"], unique=False)


def _create_deliveries() -> None:
    """Create the alert_deliveries table: the queue of emails and webhooks to send."""
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("alert_id", sa.Uuid(), nullable=False),
        sa.Column("outlet", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_alert_deliveries_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
        sa.UniqueConstraint("alert_id", "outlet", name=op.f("uq_alert_deliveries_alert_id_outlet")),
    )
    op.create_index(
        "ix_alert_deliveries_status_due_at",
        "alert_deliveries",
        ["status", "due_at"],
        unique=False,
    )


def downgrade() -> None:
    """Drop the alert tables."""
    op.drop_index("ix_alert_deliveries_status_due_at", table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_index("ix_alerts_unit_created_at", table_name="alerts")
    op.drop_table("alerts")
