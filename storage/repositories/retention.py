"""Retention: erase contact details and message bodies once RETENTION_DAYS have passed.

Every step works on a batch of rows locked with FOR UPDATE SKIP LOCKED (PostgreSQL; SQLite's
BEGIN IMMEDIATE serialises writers instead), so two processes running it at once share the
work and never do a row twice. Rows are locked first and changed by a second statement that
checks its conditions again: in PostgreSQL's READ COMMITTED a subquery of the locking
statement may read a snapshot older than the lock, and a survey created for a respondent in
between must never be deleted with it (conversations and contacts cascade).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, delete, exists, func, insert, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from bot.engine.model import LIVE, Status
from storage.contact_cipher import ContactCipher, UnreadableContactError, address_context
from storage.models import (
    Answer,
    CardAttempt,
    Contact,
    Conversation,
    Message,
    Respondent,
    Translation,
)

# The marker an anonymous respondent's hash starts with: no HMAC digest (hex) looks like it.
ANONYMOUS = "anon-"
_RESPONDENTS = cast(Table, Respondent.__table__)
_CONVERSATIONS = cast(Table, Conversation.__table__)
_CONTACTS = cast(Table, Contact.__table__)
_MESSAGES = cast(Table, Message.__table__)
# The statuses whose surveys the frequency cap counts even if their first text never left.
_COUNTED = (Status.SCHEDULED, Status.ACTIVE, Status.COMPLETED, Status.EXPIRED)


@dataclass(frozen=True)
class DueConversation:
    """An ended conversation past retention, locked, with what redacting it needs."""

    id: uuid.UUID
    respondent_id: uuid.UUID
    contact_id: uuid.UUID | None
    channel: str
    # The respondent's remembered language, copied to the anonymous row.
    language: str | None
    # When the frequency cap counts it as surveyed (None: the cap never counted it).
    surveyed_at: datetime | None
    # The respondent's address, opened to find it typed in answers (None: not readable).
    address: str | None


def _unreferenced() -> Any:
    """Say that nothing points at a respondent: no survey, contact, message or wrong code."""
    rid = Respondent.id
    return and_(
        ~exists().where(Conversation.respondent_id == rid),
        ~exists().where(Contact.respondent_id == rid),
        ~exists().where(Message.respondent_id == rid),
        ~exists().where(CardAttempt.respondent_id == rid),
    )


class SqlAlchemyRetentionRepository:
    """Find what fell due for retention, and erase it in batches."""

    def __init__(self, session: Session, cipher: ContactCipher) -> None:
        self._session = session
        self._cipher = cipher

    def due_conversations(self, cutoff: datetime, limit: int) -> list[DueConversation]:
        """Lock up to `limit` ended, unredacted conversations last changed by `cutoff`."""
        counted = or_(Conversation.status.in_(_COUNTED), Conversation.started_at.is_not(None))
        surveyed = func.coalesce(Conversation.started_at, Conversation.scheduled_for)
        query = (
            select(
                Conversation.id,
                Conversation.respondent_id,
                Conversation.contact_id,
                Respondent.channel,
                Respondent.language,
                case((counted, surveyed), else_=None).label("surveyed_at"),
                Respondent.address_hash,
                Respondent.address_enc,
            )
            .join(Respondent, Respondent.id == Conversation.respondent_id)
            # The partial index ix_conversations_unredacted_updated_at serves this range.
            .where(Conversation.redacted_at.is_(None), Conversation.updated_at <= cutoff)
            .where(Conversation.status.not_in(LIVE))
            .order_by(Conversation.updated_at)
            .limit(limit)
            # NO KEY UPDATE: a reply logged meanwhile may still point a message at the row
            # (its foreign key takes KEY SHARE) instead of waiting, and deadlocking, on it.
            .with_for_update(skip_locked=True, key_share=True, of=_CONVERSATIONS)
        )
        return [self._due(row) for row in self._session.execute(query)]

    def _due(self, row: Any) -> DueConversation:
        """Describe one locked conversation, its respondent's address opened if it can be."""
        address = None
        if row.address_enc:
            context = address_context(row.channel, row.address_hash)
            try:
                address = self._cipher.open(row.address_enc, context)
            except UnreadableContactError:
                address = None  # Numbers in its answers are still found by their form.
        return DueConversation(
            row.id,
            row.respondent_id,
            row.contact_id,
            row.channel,
            row.language,
            row.surveyed_at,
            address,
        )

    def answers(self, conversation_ids: Sequence[uuid.UUID]) -> list[Answer]:
        """Return the answers of these conversations, to be scrubbed in place."""
        query = select(Answer).where(Answer.conversation_id.in_(conversation_ids))
        return list(self._session.scalars(query))

    def redact(self, due: Sequence[DueConversation], now: datetime) -> int:
        """Detach each conversation to a new anonymous respondent and blank its messages.

        Returns how many messages were blanked. The anonymous row keeps the channel and the
        language results are broken down by, and nothing else of the resident.
        """
        if not due:
            return 0
        ids = [d.id for d in due]
        count = select(func.count()).where(Message.conversation_id.in_(ids))
        blanked = int(self._session.scalar(count) or 0)
        fresh = [uuid.uuid4() for _ in due]
        anonymous = [_anonymous(d, rid, now) for d, rid in zip(due, fresh, strict=True)]
        moves = [
            {"cid": d.id, "kid": d.contact_id, "rid": rid}
            for d, rid in zip(due, fresh, strict=True)
        ]
        self._session.execute(insert(_RESPONDENTS), anonymous)
        self._session.execute(_MOVE_CONVERSATION, [{**m, "now": now} for m in moves])
        contacts = [m for m in moves if m["kid"] is not None]
        if contacts:
            self._session.execute(_MOVE_CONTACT, contacts)
        self._session.execute(_BLANK_MESSAGES, moves)
        return blanked

    def remember_surveys(self, surveyed: Mapping[uuid.UUID, datetime]) -> None:
        """Keep on each respondent the latest of its own and the given survey time."""
        params = [{"rid": rid, "at": at} for rid, at in sorted(surveyed.items())]
        if params:
            self._session.execute(_REMEMBER, params)

    def scrub_loose_messages(self, cutoff: datetime, limit: int) -> int:
        """Blank up to `limit` messages of no conversation created by `cutoff`; return how many."""
        query = (
            select(Message.id)
            .where(Message.conversation_id.is_(None), Message.created_at <= cutoff)
            .where(
                or_(
                    Message.body.is_not(None),
                    Message.buttons.is_not(None),
                    Message.provider_message_id.is_not(None),
                    Message.respondent_id.is_not(None),
                )
            )
            .limit(limit)
            .with_for_update(skip_locked=True, key_share=True)
        )
        ids = list(self._session.scalars(query))
        if ids:
            blank = sql_update(_MESSAGES).where(_MESSAGES.c.id.in_(ids))
            self._session.execute(blank.values(respondent_id=None, **_BLANK))
        return len(ids)

    def delete_card_attempts(self, cutoff: datetime) -> int:
        """Delete the wrong card codes residents sent by `cutoff`; return how many."""
        gone = delete(CardAttempt).where(CardAttempt.at <= cutoff)
        return _count(self._session.execute(gone.execution_options(synchronize_session=False)))

    def delete_translations(self, cutoff: datetime) -> int:
        """Delete cached machine translations made by `cutoff`; return how many."""
        gone = delete(Translation).where(Translation.created_at <= cutoff)
        return _count(self._session.execute(gone.execution_options(synchronize_session=False)))

    def seal_off(self, cutoff: datetime, limit: int) -> int:
        """Drop the sealed address of up to `limit` respondents nothing points at any more.

        Only the keyed hash stays (STOP and NOSURVEY keep working). A respondent created after
        `cutoff` is left alone. Returns how many were changed.
        """
        where = (
            Respondent.address_enc != "",
            Respondent.created_at <= cutoff,
            _unreferenced(),
        )
        ids = self._locked(*where, limit=limit)
        if not ids:
            return 0
        change = sql_update(Respondent).where(Respondent.id.in_(ids), *where)
        change = change.values(address_enc="", menu_open_at=None)
        return _count(self._session.execute(change.execution_options(synchronize_session=False)))

    def forget(self, surveyed_before: datetime, limit: int) -> int:
        """Delete up to `limit` hash-only respondents no list or frequency cap needs any more.

        Kept: opted out, on the do-not-survey list, or surveyed after `surveyed_before` (the
        cap still counts them). Returns how many were deleted.
        """
        where = (
            Respondent.address_enc == "",
            Respondent.opted_out_at.is_(None),
            Respondent.do_not_survey_at.is_(None),
            or_(
                Respondent.last_surveyed_at.is_(None),
                Respondent.last_surveyed_at <= surveyed_before,
            ),
            _unreferenced(),
        )
        ids = self._locked(*where, limit=limit)
        if not ids:
            return 0
        gone = delete(Respondent).where(Respondent.id.in_(ids), *where)
        return _count(self._session.execute(gone.execution_options(synchronize_session=False)))

    def _locked(self, *where: Any, limit: int) -> list[uuid.UUID]:
        """Lock up to `limit` respondents matching `where` that nobody else holds."""
        # No ORDER BY: skipping locked rows never waits, and the scan may stop at `limit`.
        query = select(Respondent.id).where(*where).limit(limit).with_for_update(skip_locked=True)
        return list(self._session.scalars(query))


def _count(result: Any) -> int:
    """Return how many rows a single UPDATE or DELETE changed."""
    return int(result.rowcount or 0)


def _anonymous(due: DueConversation, respondent_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    """Return the row of a respondent standing for nobody, for one redacted conversation."""
    return {
        "id": respondent_id,
        "channel": due.channel,
        "address_hash": ANONYMOUS + uuid.uuid4().hex,
        "address_enc": "",
        "language": due.language,
        "created_at": now,
    }


_BLANK: dict[str, Any] = {"body": None, "buttons": None, "provider_message_id": None}
_MOVE_CONVERSATION = (
    sql_update(_CONVERSATIONS)
    .where(_CONVERSATIONS.c.id == bindparam("cid"), _CONVERSATIONS.c.redacted_at.is_(None))
    .values(respondent_id=bindparam("rid"), redacted_at=bindparam("now"))
)
_MOVE_CONTACT = (
    sql_update(_CONTACTS)
    .where(_CONTACTS.c.id == bindparam("kid"))
    .values(respondent_id=bindparam("rid"))
)
_BLANK_MESSAGES = (
    sql_update(_MESSAGES)
    .where(_MESSAGES.c.conversation_id == bindparam("cid"))
    .values(respondent_id=bindparam("rid"), **_BLANK)
)
_REMEMBER = (
    sql_update(_RESPONDENTS)
    .where(_RESPONDENTS.c.id == bindparam("rid"))
    .where(
        or_(
            _RESPONDENTS.c.last_surveyed_at.is_(None),
            _RESPONDENTS.c.last_surveyed_at < bindparam("at"),
        )
    )
    .values(last_surveyed_at=bindparam("at"))
)
