"""Survey cards and residents' wrong codes in memory."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from storage.models import Card, CardAttempt

if TYPE_CHECKING:
    from tests.fakes import FakeUnitOfWork


class FakeCardRepository:
    """Survey cards in memory, found by their code hash."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def add(self, card: Card) -> None:
        """Stage a new card."""
        self._uow.add(card)

    def by_hash(self, code_hash: str) -> Card | None:
        """Return the card with this code hash, if any."""
        return self._uow.first(Card, lambda c: c.code_hash == code_hash)

    def record_attempt(self, respondent_id: uuid.UUID, now: datetime) -> None:
        """Stage a wrong code."""
        self._uow.add(CardAttempt(respondent_id=respondent_id, at=now))

    def attempts_since(self, respondent_id: uuid.UUID, since: datetime) -> int:
        """Count a resident's wrong codes since a moment."""
        rows = self._uow.rows(CardAttempt)
        return sum(1 for a in rows if a.respondent_id == respondent_id and a.at >= since)
