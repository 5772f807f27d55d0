"""Staff accounts for the officer page: users with a role, a password hash and a lockout.

Revision ID: 0006_accounts
Revises: 0005_scheduling
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006_accounts"
down_revision: str | None = "0005_scheduling"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = True) -> sa.Column[datetime]:
    """Return a timezone-aware timestamp column (storage.models.UtcDateTime in the models)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the users table."""
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("officer_id", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        _timestamp("failed_since"),
        _timestamp("locked_until"),
        _timestamp("disabled_at"),
        _timestamp("last_login_at"),
        _timestamp("created_at", nullable=False),
        sa.CheckConstraint(
            "role IN ('officer', 'supervisor', 'admin')", name=op.f("ck_users_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )


def downgrade() -> None:
    """Drop the users table."""
    op.drop_table("users")
