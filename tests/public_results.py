"""Store completed surveys straight into a database, for the officer feedback and public tests."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime

from flask import Flask

from bot.engine.model import AnswerValue
from storage.db import make_engine, make_session_factory
from storage.models import Answer, Contact, Conversation, Respondent


def store_survey(
    app: Flask,
    completed_at: datetime,
    answers: Mapping[str, AnswerValue],
    *,
    officer_id: str | None = "B-100",
    unit: str | None = "North",
    language: str = "en",
    status: str = "completed",
    comment: str | None = None,
) -> None:
    """Store one survey of the default flow with its contact, answers and completion time."""
    engine = make_engine(app.extensions["parley.settings"].database_url)
    try:
        with make_session_factory(engine)() as session:
            respondent = Respondent(channel="sms", address=f"+1555{secrets.randbelow(10**7):07d}")
            session.add(respondent)
            session.flush()
            contact = Contact(
                respondent_id=respondent.id,
                officer_id=officer_id,
                unit=unit,
                incident_id=secrets.token_hex(4),
                occurred_at=completed_at,
            )
            session.add(contact)
            session.flush()
            conversation = Conversation(
                respondent_id=respondent.id,
                contact_id=contact.id,
                flow_id="post_contact",
                flow_version="1",
                language=language,
                status=status,
                completed_at=completed_at if status == "completed" else None,
                created_at=completed_at,
                updated_at=completed_at,
            )
            session.add(conversation)
            session.flush()
            given = dict(answers)
            if comment is not None:
                given["comment"] = comment
            for question, value in given.items():
                raw = value if isinstance(value, str) else str(value)
                session.add(
                    Answer(
                        conversation_id=conversation.id,
                        question_id=question,
                        value=value,
                        raw_text=raw,
                        language=language,
                        answered_at=completed_at,
                    )
                )
            session.commit()
    finally:
        engine.dispose()
