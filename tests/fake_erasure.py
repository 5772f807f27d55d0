"""Erasure in memory: what the SQL repository's erase deletes, for the fake unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
from storage.repositories.erasure import ERASED
from storage.repositories.translations import text_hash

if TYPE_CHECKING:
    from tests.fakes import FakeUnitOfWork


def fake_erase(
    uow: FakeUnitOfWork, respondent_id: uuid.UUID, keep_message_id: uuid.UUID | None
) -> dict[str, int]:
    """Drop a resident's rows of every table but respondents; return how many, by table."""
    conversations = {c.id for c in uow.rows(Conversation) if c.respondent_id == respondent_id}
    messages = {
        m.id
        for m in uow.rows(Message)
        if (m.respondent_id == respondent_id or m.conversation_id in conversations)
        and m.id != keep_message_id
    }
    alerts = {a.id for a in uow.rows(Alert) if a.conversation_id in conversations}
    hashes = _unshared(uow, conversations)
    wanted: dict[str, tuple[type[Any], Callable[[Any], bool]]] = {
        "answers": (Answer, lambda r: r.conversation_id in conversations),
        "messages": (Message, lambda r: r.id in messages),
        "conversations": (Conversation, lambda r: r.id in conversations),
        "contacts": (Contact, lambda r: r.respondent_id == respondent_id),
        "scheduled_items": (
            ScheduledItem,
            lambda r: r.conversation_id in conversations or r.message_id in messages,
        ),
        "alerts": (Alert, lambda r: r.id in alerts),
        "alert_deliveries": (AlertDelivery, lambda r: r.alert_id in alerts),
        "card_attempts": (CardAttempt, lambda r: r.respondent_id == respondent_id),
        "translations": (Translation, lambda r: r.text_hash in hashes),
    }
    return {name: _drop(uow, *wanted[name]) for name in ERASED}


def _unshared(uow: FakeUnitOfWork, conversations: set[uuid.UUID]) -> set[str]:
    """Return the cache keys of the resident's free-text answers no other resident wrote."""
    free = [
        (a.conversation_id in conversations, text_hash(a.value))
        for a in uow.rows(Answer)
        if a.translation_status and isinstance(a.value, str)
    ]
    return {key for theirs, key in free if theirs} - {key for theirs, key in free if not theirs}


def _drop(uow: FakeUnitOfWork, kind: type[Any], where: Callable[[Any], bool]) -> int:
    """Remove the rows of a table that match, committed or staged; return how many."""
    gone = [row for row in uow.rows(kind) if where(row)]
    uow.database.rows = [row for row in uow.database.rows if not any(row is g for g in gone)]
    uow.staged = [row for row in uow.staged if not any(row is g for g in gone)]
    return len(gone)
