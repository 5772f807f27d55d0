"""Police contacts, and the surveys asked for about one: by incident number, or by its moment."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from storage.models import LIVE, Contact, Conversation, incident_key


class SqlAlchemyContactRepository:
    """Store police contacts and find the surveys asked for about them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, contact: Contact) -> None:
        """Store a new contact now, so its id and defaults are set."""
        self._session.add(contact)
        self._session.flush()

    def get(self, contact_id: uuid.UUID | None) -> Contact | None:
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
