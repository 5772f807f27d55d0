"""Survey cards, found by the keyed hash of their code, and residents' wrong codes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Card, CardAttempt


class SqlAlchemyCardRepository:
    """Add, find and lock survey cards; count a resident's wrong codes."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, card: Card) -> None:
        """Store a new card now, so its id and defaults are set."""
        self._session.add(card)
        self._session.flush()

    def by_hash(self, code_hash: str) -> Card | None:
        """Return the card with this code hash, locked until commit (one use wins a race)."""
        query = select(Card).where(Card.code_hash == code_hash).with_for_update()
        return self._session.scalars(query).one_or_none()

    def record_attempt(self, respondent_id: uuid.UUID, now: datetime) -> None:
        """Remember that a resident sent a code that opened nothing."""
        self._session.add(CardAttempt(respondent_id=respondent_id, at=now))
        self._session.flush()

    def attempts_since(self, respondent_id: uuid.UUID, since: datetime) -> int:
        """Count a resident's wrong codes since a moment."""
        query = select(func.count(CardAttempt.id)).where(
            CardAttempt.respondent_id == respondent_id, CardAttempt.at >= since
        )
        return int(self._session.scalar(query) or 0)
