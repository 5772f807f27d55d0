"""A small, hand-counted set of surveys for the results dashboard's tests (every stage once).

Eleven surveys in November 2026 and one in October (outside the range the tests read):

    #   unit   officer call     channel   how it went                       overall listened
    c1  north  A       traffic  sms       completed, delivered                5       yes
    c2  north  A       theft    sms       completed, read (es)                3       no
    c3  north  B       traffic  whatsapp  expired partial, sent (version 2)   4       yes
    c4  south  C       traffic  sms       expired no_response, delivered      -       -
    c5  south  C       traffic  sms       undeliverable, failed               -       -
    c6  north  A       theft    sms       refused excluded_call_type          -       -
    c7  south  C       traffic  sms       refused frequency_cap               -       -
    c8  north  B       traffic  sms       refused frequency_cap               -       -
    c9  north  B       traffic  telegram  opted out after delivery            -       -
    c10 north  A       traffic  sms       active, delivered                   1       -
    c12 (no contact)            sms       completed by keyword, inline        5       -
    c11 north  A       traffic  sms       completed, October                  2       -

Free-text comments: c1 "Great", c2 "Muy bien" (translated "Very good"), c12 "=cmd()".
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.models import Answer, Contact, Conversation, FlowVersion, Message, Respondent

FLOW = "post_contact"
SINCE = datetime(2026, 11, 1, tzinfo=UTC)
UNTIL = datetime(2026, 12, 1, tzinfo=UTC)
V1, V2 = "a" * 32, "b" * 32

# (name, unit, officer, call type, channel, language, status, disposition, reason, started,
#  outbound statuses, created day, answers {question: value}, comment (text, translation))
SURVEYS: list[tuple[Any, ...]] = [
    ("c1", "north", "A", "traffic", "sms", "en", "completed", "complete", None, True,
     ["delivered"], (11, 2), {"overall": 5, "listened": True}, ("Great", None)),
    ("c2", "north", "A", "theft", "sms", "es", "completed", "complete", None, True,
     ["read"], (11, 3), {"overall": 3, "listened": False}, ("Muy bien", "Very good")),
    ("c3", "north", "B", "traffic", "whatsapp", "en", "expired", "partial", None, True,
     ["sent"], (11, 10), {"overall": 4, "listened": True}, None),
    ("c4", "south", "C", "traffic", "sms", "en", "expired", "no_response", None, True,
     ["delivered"], (11, 10), {}, None),
    ("c5", "south", "C", "traffic", "sms", "en", "expired", "undeliverable", None, True,
     ["failed"], (11, 17), {}, None),
    ("c6", "north", "A", "theft", "sms", "en", "refused", "refused", "excluded_call_type",
     False, [], (11, 4), {}, None),
    ("c7", "south", "C", "traffic", "sms", "en", "refused", "refused", "frequency_cap",
     False, [], (11, 5), {}, None),
    ("c8", "north", "B", "traffic", "sms", "en", "refused", "refused", "frequency_cap",
     False, [], (11, 6), {}, None),
    ("c9", "north", "B", "traffic", "telegram", "en", "opted_out", "opted_out", None, True,
     ["delivered", "cancelled"], (11, 12), {}, None),
    ("c10", "north", "A", "traffic", "sms", "en", "active", None, None, True,
     ["delivered", "queued"], (11, 24), {"overall": 1}, None),
    ("c12", None, None, None, "sms", "en", "completed", "complete", None, True,
     ["replied_inline"], (11, 5), {"overall": 5}, ("=cmd()", None)),
    ("c11", "north", "A", "traffic", "sms", "en", "completed", "complete", None, True,
     ["delivered"], (10, 31), {"overall": 2}, None),
]  # fmt: skip


def _day(month_day: tuple[int, int]) -> datetime:
    """Return 10:00 UTC on a day of 2026."""
    return datetime(2026, *month_day, 10, tzinfo=UTC)


def add_survey_row(
    session: Session, row: tuple[Any, ...], comment_at: datetime, versions: tuple[str, str]
) -> None:
    """Store one survey: respondent, contact, conversation (and its progress), texts, answers."""
    name, unit, officer, call, channel, language, status, disposition, reason, started = row[:10]
    statuses, day, answers, comment = row[10:]
    created = _day(day)
    # The number is never read back: a random hash and ciphertext stand in for it.
    respondent = Respondent(
        channel=channel, address_hash=secrets.token_hex(32), address_enc=secrets.token_hex(8)
    )
    session.add(respondent)
    session.flush()
    contact_id = None
    if unit is not None:
        contact = Contact(
            respondent_id=respondent.id,
            unit=unit,
            officer_id=officer,
            call_type=call,
            occurred_at=created,
            incident_id=name,
        )
        session.add(contact)
        session.flush()
        contact_id = contact.id
    conversation = Conversation(
        respondent_id=respondent.id,
        contact_id=contact_id,
        flow_id=FLOW,
        flow_version=versions[1] if name == "c3" else versions[0],
        language=language,
        status=status,
        disposition=disposition,
        refusal_reason=reason,
        started_at=created if started else None,
        created_at=created,
    )
    session.add(conversation)
    session.flush()
    for status_ in statuses:
        session.add(
            Message(
                direction="out",
                channel=channel,
                conversation_id=conversation.id,
                body="…",
                status=status_,
            )
        )
        conversation.record_text(status_, created)  # as the delivery services do
    if answers or comment:
        conversation.record_answered(created if answers else comment_at)  # as a turn does
    for minutes, (question, value) in enumerate(answers.items()):
        session.add(_answer(conversation.id, question, value, language, created, minutes))
    if comment is not None:
        text, translation = comment
        done = translation is not None
        session.add(
            Answer(
                conversation_id=conversation.id,
                question_id="comment",
                raw_text=text,
                value=text,
                language=language,
                answered_at=comment_at,
                detected_language=language,
                translation=translation,
                translation_language="en" if done else None,
                translation_status="done" if done else "not_needed",
            )
        )


def _answer(
    conversation_id: uuid.UUID, question: str, value: Any, language: str, at: datetime, n: int
) -> Answer:
    """Return an answer to a scored or choice question."""
    return Answer(
        conversation_id=conversation_id,
        question_id=question,
        raw_text=str(value),
        value=value,
        language=language,
        answered_at=at + timedelta(minutes=n),
    )


def store_surveys(engine: Engine, versions: tuple[str, str] | None = None) -> None:
    """Store the surveys above on `versions` (1 and 2 of their flow, recorded here if None)."""
    with Session(engine) as session:
        if versions is None:
            versions = (V1, V2)
            for number, digest in enumerate(versions, start=1):
                session.add(
                    FlowVersion(
                        flow_id=FLOW, number=number, digest=digest, definition={}, origin="t"
                    )
                )
        # Comments answered c1 first, c12 last: newest first lists c12, c2, c1.
        for order, row in enumerate(SURVEYS):
            add_survey_row(session, row, datetime(2026, 11, 25, 12, order, tzinfo=UTC), versions)
        session.commit()
