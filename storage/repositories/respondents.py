"""Respondents: found or created race-safely, and locked while one of their turns runs."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Conversation, Respondent
from storage.repositories.statements import dialect_of, statements


class SqlAlchemyRespondentRepository:
    """Find, create and lock respondents."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def for_update(self, channel: str, address: str, now: datetime) -> Respondent:
        """Get or create the respondent at an address and lock its row until commit."""
        return self.with_open_conversation(channel, address, now)[0]

    def with_open_conversation(
        self, channel: str, address: str, now: datetime
    ) -> tuple[Respondent, Conversation | None]:
        """Get or create the respondent, lock its row, then read its open conversation.

        The lock serialises turns of one resident on PostgreSQL (SQLite's BEGIN IMMEDIATE
        already serialises all writers). The conversation is read in a second statement, after
        the lock is held: joined into the locking query, PostgreSQL would return the row as it
        was before the lock wait, and two simultaneous replies would lose one update. Creation
        is race-safe: the insert runs in a SAVEPOINT, and a concurrent insert of the same
        address makes it fail and re-read the winner's row.
        """
        prepared = statements(dialect_of(self._session))
        params = {"channel": channel, "address": address}
        respondent = self._session.scalars(prepared.respondent_for_update, params).first()
        if respondent is None:
            try:
                with self._session.begin_nested():
                    self._session.add(Respondent(channel=channel, address=address, created_at=now))
            except IntegrityError:
                pass  # Another transaction created it first; the row is committed now.
            respondent = self._session.scalars(prepared.respondent_for_update, params).one()
        open_conversation: Conversation | None = self._session.scalars(
            prepared.open_conversation, {"respondent_id": respondent.id}
        ).first()
        return respondent, open_conversation

    def find(self, channel: str, address: str) -> Respondent | None:
        """Return the respondent at an address, if any, without locking."""
        query = select(Respondent).where(
            Respondent.channel == channel, Respondent.address == address
        )
        return self._session.scalars(query).one_or_none()

    def get(self, respondent_id: uuid.UUID) -> Respondent | None:
        """Return the respondent with this id, if any."""
        return self._session.get(Respondent, respondent_id)
