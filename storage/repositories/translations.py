"""Queries for translating free-text answers: marking, claiming, sweeping, and the cache."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Answer, Translation

# What a new answer text starts with: nothing of an earlier text's translation survives.
_FRESH = {
    "translation": None,
    "translation_language": None,
    "translation_provider": None,
    "translation_attempts": 0,
    "translation_error": None,
}


def text_hash(text: str) -> str:
    """Return the SHA-256 hex digest the translation cache is keyed by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SqlAlchemyTranslationRepository:
    """Read and write answers' translation state and the durable translation cache."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def mark_answer(
        self,
        conversation_id: uuid.UUID,
        question_id: str,
        *,
        status: str | None,
        detected_language: str | None,
        due_at: datetime | None,
    ) -> uuid.UUID | None:
        """Set a stored answer's translation state afresh; return its id (None if absent).

        Everything from an earlier translation is cleared: a replaced answer is a new text.
        """
        statement = (
            update(Answer)
            .where(Answer.conversation_id == conversation_id, Answer.question_id == question_id)
            .values(
                **_FRESH,
                detected_language=detected_language,
                translation_status=status,
                translation_due_at=due_at,
            )
            .returning(Answer.id)
            .execution_options(synchronize_session=False)
        )
        answer_id: uuid.UUID | None = self._session.execute(statement).scalar_one_or_none()
        return answer_id

    def answer_for_update(self, answer_id: uuid.UUID) -> Answer | None:
        """Return an answer and lock its row until commit, so only one worker claims it."""
        query = (
            select(Answer)
            .where(Answer.id == answer_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return self._session.scalars(query).one_or_none()

    def due_answers(self, status: str, now: datetime, limit: int) -> list[uuid.UUID]:
        """Return the ids of answers in `status` whose next attempt is due, oldest first."""
        query = (
            select(Answer.id)
            .where(Answer.translation_status == status, Answer.translation_due_at <= now)
            .order_by(Answer.translation_due_at)
            .limit(limit)
        )
        return list(self._session.scalars(query))

    def cached(self, text: str, source: str, target: str, provider: str) -> str | None:
        """Return the stored translation of `text` by `provider`, if it was made before."""
        key = (text_hash(text), source, target, provider)
        row = self._session.get(Translation, key)
        return row.translated_text if row is not None else None

    def remember(
        self,
        text: str,
        source: str,
        target: str,
        provider: str,
        translated: str,
        now: datetime,
    ) -> None:
        """Store a translation in the cache; a concurrent identical store is not an error."""
        flavour = postgresql if self._dialect() == "postgresql" else sqlite
        statement = flavour.insert(Translation).on_conflict_do_nothing()
        self._session.execute(
            statement,
            {
                "text_hash": text_hash(text),
                "source": source,
                "target": target,
                "provider": provider,
                "translated_text": translated,
                "created_at": now,
            },
        )

    def _dialect(self) -> str:
        """Name the database dialect this repository's session talks to."""
        return self._session.get_bind().dialect.name
