"""Create Parley's tables: respondents, contacts, conversations, answers, messages, API tokens.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column[datetime]:
    """Return a timezone-aware timestamp column (storage.models.UtcDateTime in the models)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _uuid(name: str, nullable: bool = False) -> sa.Column[uuid.UUID]:
    """Return a UUID column."""
    return sa.Column(name, sa.Uuid(), nullable=nullable)


def _fk(column: str, table: str, referred: str, ondelete: str) -> sa.ForeignKeyConstraint:
    """Return a foreign key to `referred.id`, named by the models' naming convention."""
    name = op.f(f"fk_{table}_{column}_{referred}")
    return sa.ForeignKeyConstraint([column], [f"{referred}.id"], name=name, ondelete=ondelete)


def _create_respondents() -> None:
    """Create the respondents table."""
    op.create_table(
        "respondents",
        _uuid("id"),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=True),
        _timestamp("opted_out_at", nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondents")),
        sa.UniqueConstraint("channel", "address", name=op.f("uq_respondents_channel_address")),
    )


def _create_contacts() -> None:
    """Create the contacts table."""
    op.create_table(
        "contacts",
        _uuid("id"),
        _uuid("respondent_id"),
        sa.Column("officer_id", sa.String(length=64), nullable=True),
        sa.Column("incident_id", sa.String(length=64), nullable=True),
        sa.Column("call_type", sa.String(length=64), nullable=True),
        _timestamp("occurred_at"),
        _timestamp("created_at"),
        _fk("respondent_id", "contacts", "respondents", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_index(op.f("ix_contacts_respondent_id"), "contacts", ["respondent_id"])


def _create_conversations() -> None:
    """Create the conversations table."""
    op.create_table(
        "conversations",
        _uuid("id"),
        _uuid("respondent_id"),
        _uuid("contact_id", nullable=True),
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("flow_version", sa.String(length=32), nullable=False),
        sa.Column("node_id", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("retries", sa.Integer(), nullable=False),
        _timestamp("started_at", nullable=True),
        _timestamp("updated_at"),
        _timestamp("completed_at", nullable=True),
        _timestamp("created_at"),
        _fk("contact_id", "conversations", "contacts", "SET NULL"),
        _fk("respondent_id", "conversations", "respondents", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    op.create_index(op.f("ix_conversations_contact_id"), "conversations", ["contact_id"])
    op.create_index(
        "ix_conversations_respondent_id_status", "conversations", ["respondent_id", "status"]
    )


def _create_answers() -> None:
    """Create the answers table."""
    op.create_table(
        "answers",
        _uuid("id"),
        _uuid("conversation_id"),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=True),
        sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        _timestamp("answered_at"),
        _fk("conversation_id", "answers", "conversations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint(
            "conversation_id", "question_id", name=op.f("uq_answers_conversation_id_question_id")
        ),
    )


def _message_constraints() -> list[sa.Constraint]:
    """Return the message log's checks, foreign keys and keys."""
    return [
        sa.CheckConstraint("direction IN ('in', 'out')", name=op.f("ck_messages_direction")),
        sa.CheckConstraint(
            "direction = 'out' OR body IS NULL", name=op.f("ck_messages_inbound_body_not_stored")
        ),
        _fk("conversation_id", "messages", "conversations", "SET NULL"),
        _fk("reply_to_id", "messages", "messages", "SET NULL"),
        _fk("respondent_id", "messages", "respondents", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint(
            "channel", "provider_message_id", name=op.f("uq_messages_channel_provider_message_id")
        ),
    ]


def _create_messages() -> None:
    """Create the message log."""
    op.create_table(
        "messages",
        _uuid("id"),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("provider_message_id", sa.String(length=128), nullable=True),
        _uuid("respondent_id", nullable=True),
        _uuid("conversation_id", nullable=True),
        _uuid("reply_to_id", nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.String(length=32), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        *_message_constraints(),
    )
    for column in ("conversation_id", "reply_to_id", "respondent_id"):
        op.create_index(op.f(f"ix_messages_{column}"), "messages", [column])


def _create_api_tokens() -> None:
    """Create the API token table."""
    op.create_table(
        "api_tokens",
        _uuid("id"),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _timestamp("created_at"),
        _timestamp("last_used_at", nullable=True),
        _timestamp("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )


def upgrade() -> None:
    """Create every table, parents before children."""
    _create_api_tokens()
    _create_respondents()
    _create_contacts()
    _create_conversations()
    _create_answers()
    _create_messages()


def downgrade() -> None:
    """Drop every table, children before parents (indexes go with their tables)."""
    tables = ("messages", "answers", "conversations", "contacts", "respondents", "api_tokens")
    for table in tables:
        op.drop_table(table)
