"""Seed and count what Parley holds about a resident, straight from the database (erasure tests)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.i18n.bidi import strip_marks
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


def seed(engine: Engine, resident: uuid.UUID, comment: str, now: datetime) -> None:
    """Give a resident what a long history leaves: a contact, a translated comment (and its
    cache row), an alert emailed out, a card code that opened nothing."""
    with Session(engine) as session:
        conversation = session.scalars(
            select(Conversation).where(Conversation.respondent_id == resident)
        ).first()
        assert conversation is not None
        contact = Contact(respondent_id=resident, incident_id=secrets.token_hex(4), occurred_at=now)
        session.add_all([contact, CardAttempt(respondent_id=resident, at=now)])
        session.flush()
        conversation.contact_id = contact.id
        session.add(_comment(conversation.id, comment, now))
        alert = Alert(
            kind="alert", rule=f"r{secrets.token_hex(4)}", conversation_id=conversation.id
        )
        session.add(alert)
        session.flush()
        session.add(AlertDelivery(alert_id=alert.id, outlet="email", due_at=now))
        _cache(session, comment, now)
        session.commit()


def _comment(conversation_id: uuid.UUID, text: str, now: datetime) -> Answer:
    """Build a translated free-text answer."""
    return Answer(
        conversation_id=conversation_id,
        question_id=f"comment_{secrets.token_hex(3)}",
        raw_text=text,
        value=text,
        language="en",
        answered_at=now,
        translation_status="done",
    )


def _cache(session: Session, text: str, now: datetime) -> None:
    """Store a translation of `text` in the cache, unless one is there."""
    key = (text_hash(text), "es", "en", "fake")
    if session.get(Translation, key) is None:
        session.add(Translation(text_hash=key[0], source="es", target="en", provider="fake",
                                translated_text=f"[en] {text}", created_at=now))  # fmt: skip


TABLES = {
    "conversations": (Conversation, Conversation.respondent_id),
    "contacts": (Contact, Contact.respondent_id),
    "card_attempts": (CardAttempt, CardAttempt.respondent_id),
    "messages": (Message, Message.respondent_id),
}


def held(engine: Engine, resident: uuid.UUID) -> dict[str, int]:
    """Count what is held about a resident, table by table."""
    with Session(engine) as session:
        conversations = select(Conversation.id).where(Conversation.respondent_id == resident)
        by_conversation = {
            "answers": select(func.count()).where(Answer.conversation_id.in_(conversations)),
            "alerts": select(func.count()).where(Alert.conversation_id.in_(conversations)),
            "scheduled_items": select(func.count()).where(
                ScheduledItem.conversation_id.in_(conversations)
            ),
        }
        counts = {name: session.scalar(query) or 0 for name, query in by_conversation.items()}
        for name in ("conversations", "contacts", "card_attempts", "messages"):
            model, column = TABLES[name]
            query = select(func.count()).select_from(model).where(column == resident)
            counts[name] = session.scalar(query) or 0
        alerts = select(Alert.id).where(Alert.conversation_id.in_(conversations))
        deliveries = select(func.count()).where(AlertDelivery.alert_id.in_(alerts))
        counts["alert_deliveries"] = session.scalar(deliveries) or 0
        return counts


def deliveries_of(engine: Engine, resident: uuid.UUID) -> list[uuid.UUID]:
    """Return the ids of the deliveries of alerts on a resident's conversations."""
    with Session(engine) as session:
        conversations = select(Conversation.id).where(Conversation.respondent_id == resident)
        alerts = select(Alert.id).where(Alert.conversation_id.in_(conversations))
        return list(
            session.scalars(select(AlertDelivery.id).where(AlertDelivery.alert_id.in_(alerts)))
        )


def still_there(engine: Engine, deliveries: list[uuid.UUID]) -> int:
    """Count how many of these alert deliveries are still stored."""
    with Session(engine) as session:
        return session.scalar(select(func.count()).where(AlertDelivery.id.in_(deliveries))) or 0


def cached(engine: Engine, text: str) -> bool:
    """Say whether the translation cache holds a row for `text`."""
    with Session(engine) as session:
        query = select(func.count()).where(Translation.text_hash == text_hash(text))
        return bool(session.scalar(query))


def bodies(engine: Engine, resident: uuid.UUID) -> list[str | None]:
    """Return the bodies of every message left of a resident (None for an inbound one)."""
    with Session(engine) as session:
        query = select(Message.body).where(Message.respondent_id == resident)
        found = session.scalars(query)
        return sorted(
            (strip_marks(body) if body else None for body in found), key=lambda b: b or ""
        )
