"""Delete what Parley holds about one resident, table by table, in set-based statements.

Each statement is one DELETE … WHERE … IN (subquery) over the resident's conversations or
messages, never a loop over rows, so an erasure costs the same dozen statements however long
the resident's history is. Children go before their parents, so no foreign key is left dangling
whether or not the database enforces ON DELETE actions (SQLite does only with its pragma on).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Delete, delete, or_, select, update
from sqlalchemy.orm import Session

from storage.models import (
    Alert,
    AlertDelivery,
    Answer,
    CardAttempt,
    Contact,
    Conversation,
    Message,
    ScheduledItem,
    Translation,
)
from storage.repositories.translations import text_hash

# The order rows are counted and reported in: what residents recognise first.
ERASED = (
    "answers",
    "messages",
    "conversations",
    "contacts",
    "scheduled_items",
    "alerts",
    "alert_deliveries",
    "card_attempts",
    "translations",
)


def erase_records(
    session: Session, respondent_id: uuid.UUID, keep_message_id: uuid.UUID | None
) -> dict[str, int]:
    """Delete a resident's rows of every table but `respondents`; return how many, by table.

    `keep_message_id` (the message being answered, which holds no body) stays, so the receipt
    can reply to it and a redelivery of that message gets the receipt again.
    """
    session.flush()  # changes staged on rows about to go are written (or refused) first
    if keep_message_id is not None:
        _detach(session, keep_message_id)
    hashes = _translation_hashes(session, respondent_id)
    statements = _statements(respondent_id, keep_message_id, hashes)
    counts = {name: _run(session, statement) for name, statement in statements}
    return {name: counts[name] for name in ERASED}


def _statements(
    respondent_id: uuid.UUID, keep_message_id: uuid.UUID | None, hashes: list[str]
) -> list[tuple[str, Delete]]:
    """Return the DELETE statements of an erasure, children before their parents."""
    conversations = select(Conversation.id).where(Conversation.respondent_id == respondent_id)
    mine = or_(Message.respondent_id == respondent_id, Message.conversation_id.in_(conversations))
    if keep_message_id is not None:
        mine = mine & (Message.id != keep_message_id)
    alerts = select(Alert.id).where(Alert.conversation_id.in_(conversations))
    items = or_(
        ScheduledItem.conversation_id.in_(conversations),
        ScheduledItem.message_id.in_(select(Message.id).where(mine)),
    )
    return [
        ("alert_deliveries", delete(AlertDelivery).where(AlertDelivery.alert_id.in_(alerts))),
        ("alerts", delete(Alert).where(Alert.conversation_id.in_(conversations))),
        ("scheduled_items", delete(ScheduledItem).where(items)),
        ("answers", delete(Answer).where(Answer.conversation_id.in_(conversations))),
        ("messages", delete(Message).where(mine)),
        ("card_attempts", delete(CardAttempt).where(CardAttempt.respondent_id == respondent_id)),
        ("conversations", delete(Conversation).where(Conversation.respondent_id == respondent_id)),
        ("contacts", delete(Contact).where(Contact.respondent_id == respondent_id)),
        ("translations", delete(Translation).where(Translation.text_hash.in_(hashes))),
    ]


def _run(session: Session, statement: Delete) -> int:
    """Run one DELETE; rows of it loaded in the session are marked deleted there too."""
    result: Any = session.execute(statement.execution_options(synchronize_session="fetch"))
    return int(result.rowcount or 0)


def _detach(session: Session, message_id: uuid.UUID) -> None:
    """Unlink the kept message from the conversation about to be deleted."""
    session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(conversation_id=None)
        .execution_options(synchronize_session="fetch")
    )


def _translation_hashes(session: Session, respondent_id: uuid.UUID) -> list[str]:
    """Return the cache keys of the resident's free-text answers that no one else wrote.

    The cache is keyed by a hash of the text alone: a row another resident's answer also uses
    is theirs as much as this resident's, and stays. The cached text is the answer's value
    (bot/services/translations.py); other residents' answers are compared by their text first,
    so only the few with the same words are read.
    """
    free_text = Answer.translation_status.is_not(None)
    theirs = Conversation.respondent_id == respondent_id
    rows = session.execute(
        select(Answer.raw_text, Answer.value).join(Conversation).where(theirs, free_text)
    ).all()
    texts = {value for _, value in rows if isinstance(value, str) and value.strip()}
    if not texts:
        return []
    written = {raw for raw, _ in rows if raw} | texts
    others = session.scalars(
        select(Answer.value)
        .join(Conversation)
        .where(~theirs, free_text, Answer.raw_text.in_(written))
    )
    return sorted(_hashes(texts) - _hashes(value for value in others if isinstance(value, str)))


def _hashes(texts: Iterable[str]) -> set[str]:
    """Return the translation cache's keys of these texts."""
    return {text_hash(text) for text in texts}
