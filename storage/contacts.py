"""Find the surveys asked for about a police contact: by incident number, or by its moment."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from bot.engine.model import LIVE
from bot.scheduling.states import Direction, MessageStatus
from storage.models import Contact, Conversation, Message


def incident_key(incident_id: str) -> str:
    """Fold an incident number for comparison: width (NFKC) and case ("ｒ-1" is "R-1")."""
    return unicodedata.normalize("NFKC", incident_id).casefold().strip()


class ContactQueries:
    """Contact and incident lookups, shared by the schedule repository (one Session)."""

    _session: Session

    def contact(self, contact_id: uuid.UUID | None) -> Contact | None:
        """Return the police contact a survey is about, if it is still stored."""
        return self._session.get(Contact, contact_id) if contact_id is not None else None

    def conversation_for_contact(
        self, respondent_id: uuid.UUID, incident_id: str | None, occurred_at: datetime | None
    ) -> Conversation | None:
        """Return the survey already asked for about this contact, if any.

        A contact is known by its incident number (compared by incident_key: "r-1" is "R-1");
        without one, by the moment it happened.
        """
        if incident_id:
            same: ColumnElement[bool] = Contact.incident_id.is_not(None)
        elif occurred_at is not None:
            same = Contact.incident_id.is_(None) & (Contact.occurred_at == occurred_at)
        else:
            return None
        query = (
            select(Conversation, Contact.incident_id)
            .join(Contact, Conversation.contact_id == Contact.id)
            .where(Contact.respondent_id == respondent_id, same)
            .order_by(Conversation.created_at)
        )
        # A resident has a handful of contacts: compare keys here, where Unicode folding is exact.
        wanted = incident_key(incident_id) if incident_id else None
        for conversation, incident in self._session.execute(query):
            if wanted is None or incident_key(incident or "") == wanted:
                found: Conversation = conversation
                return found
        return None

    def live_for_incident(self, incident_id: str) -> list[Conversation]:
        """Return every scheduled or active survey about an incident, whoever it was for."""
        wanted = incident_key(incident_id)
        query = (
            select(Conversation, Contact.incident_id)
            .join(Contact, Conversation.contact_id == Contact.id)
            # lower() narrows the rows in SQL; incident_key decides (SQLite folds ASCII only).
            .where(func.lower(Contact.incident_id) == wanted.lower(), Conversation.status.in_(LIVE))
            .order_by(Conversation.created_at)
        )
        return [
            conversation
            for conversation, incident in self._session.execute(query)
            if incident_key(incident or "") == wanted
        ]

    def queued_messages(self, conversation_id: uuid.UUID) -> list[Message]:
        """Return a conversation's outbound messages not yet handed to the provider, locked."""
        query = (
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == Direction.OUT,
                Message.status == MessageStatus.QUEUED,
            )
            .with_for_update()
        )
        return list(self._session.scalars(query))
