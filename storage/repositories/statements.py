"""Hot-path statements shared by the repositories, built once per database dialect."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.engine.model import Status
from bot.scheduling.states import Direction
from storage.models import Answer, Conversation, Message, Respondent


def dialect_of(session: Session) -> str:
    """Name the database dialect a session talks to."""
    return session.get_bind().dialect.name


@dataclass(frozen=True)
class Statements:
    """Hot-path statements, built once per dialect rather than once per webhook turn."""

    answer_upsert: Any
    inbound_insert: Any
    message_insert: Any
    respondent_for_update: Any
    open_conversation: Any
    inbound_count: Any


@functools.cache
def statements(dialect: str) -> Statements:
    """Build the dialect's ON CONFLICT statements (PostgreSQL and SQLite share the syntax)."""
    flavour = postgresql if dialect == "postgresql" else sqlite
    answers = flavour.insert(Answer.__table__)
    messages = cast(Table, Message.__table__)
    replaced = ("raw_text", "value", "language", "answered_at")
    return Statements(
        # One upsert statement: a webhook turn is a handful of round trips, each one counts.
        answer_upsert=answers.on_conflict_do_update(
            index_elements=["conversation_id", "question_id"],
            set_={name: answers.excluded[name] for name in replaced},
        ),
        # ON CONFLICT DO NOTHING: race-safe against a concurrent redelivery, in one round trip.
        # Console turns carry no provider id, and NULLs never conflict.
        inbound_insert=flavour.insert(Message.__table__)
        .on_conflict_do_nothing(index_elements=["channel", "provider_message_id"])
        .returning(Message.__table__.c.id),
        message_insert=insert(cast(Table, Message.__table__)),
        respondent_for_update=select(Respondent)
        .where(Respondent.channel == bindparam("channel"))
        .where(Respondent.address_hash == bindparam("address_hash"))
        .with_for_update()
        .execution_options(populate_existing=True),
        # Core, not ORM: no autoflush and no entity loading for a count on every turn.
        inbound_count=select(func.count())
        .select_from(messages)
        .where(messages.c.respondent_id == bindparam("respondent_id"))
        .where(messages.c.direction == Direction.IN)
        .where(messages.c.created_at >= bindparam("since")),
        open_conversation=select(Conversation)
        .where(Conversation.respondent_id == bindparam("respondent_id"))
        .where(Conversation.status == Status.ACTIVE)
        .order_by(Conversation.created_at.desc())
        .limit(1),
    )
