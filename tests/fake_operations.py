"""In-memory repositories for background work and staff: schedule, translations, tokens, staff."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.scheduling.states import ItemKind, ItemStatus
from storage.models import (
    Answer,
    ApiToken,
    AuditEntry,
    Message,
    ScheduledItem,
    SenderSlot,
    User,
)
from storage.repositories.schedule import MAX_BACKLOG
from storage.repositories.translations import text_hash

if TYPE_CHECKING:
    from tests.fakes import FakeUnitOfWork

PENDING, RUNNING, CANCELLED = ItemStatus.PENDING, ItemStatus.RUNNING, ItemStatus.CANCELLED
REPLY = ItemKind.REPLY


class FakeScheduleRepository:
    """Scheduled items and pacing slots in memory."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def schedule(
        self,
        conversation_id: uuid.UUID,
        kind: str,
        due_at: datetime,
        now: datetime,
        ordinal: int = 0,
    ) -> ScheduledItem:
        """Stage a pending item for a conversation."""
        item = ScheduledItem(conversation_id=conversation_id, kind=kind, ordinal=ordinal)
        item.due_at, item.created_at, item.updated_at = due_at, now, now
        return self._uow.add(item)

    def add_reply(self, message_id: uuid.UUID, now: datetime) -> ScheduledItem:
        """Stage a reply due now whose text is composed."""
        item = ScheduledItem(conversation_id=None, kind=REPLY, ordinal=0, message_id=message_id)
        item.due_at, item.created_at, item.updated_at = now, now, now
        return self._uow.add(item)

    def reply_waiting(self, respondent_id: uuid.UUID, before: datetime) -> bool:
        """Say whether a reply to the resident made before `before` has still not left."""
        return any(
            item.kind == REPLY
            and item.status in (PENDING, RUNNING)
            and item.created_at < before
            and self._respondent_of(item.message_id) == respondent_id
            for item in self._uow.rows(ScheduledItem)
        )

    def _respondent_of(self, message_id: uuid.UUID | None) -> uuid.UUID | None:
        """Return whom a message was to."""
        message = self._uow.first(Message, lambda m: m.id == message_id)
        return message.respondent_id if message is not None else None

    def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> ScheduledItem | None:
        """Return an item, if any."""
        return self._uow.first(ScheduledItem, lambda i: i.id == item_id)

    def for_conversation(self, conversation_id: uuid.UUID) -> list[ScheduledItem]:
        """Return a conversation's items, soonest first."""
        items = [i for i in self._uow.rows(ScheduledItem) if i.conversation_id == conversation_id]
        return sorted(items, key=lambda i: (i.due_at, i.kind, i.ordinal))

    def due(self, now: datetime, limit: int) -> list[uuid.UUID]:
        """Return the ids of pending items due by `now`, oldest first."""
        return [item_id for item_id, _ in self.due_items(now, limit)]

    def due_items(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, datetime]]:
        """Return (id, due time) of pending items due by `now`, oldest first."""
        due = [i for i in self._uow.rows(ScheduledItem) if i.status == PENDING and i.due_at <= now]
        return [(i.id, i.due_at) for i in sorted(due, key=lambda i: i.due_at)[:limit]]

    def next_due_at(self, after: datetime | None = None) -> datetime | None:
        """Return when the soonest pending item (due after `after`) falls due."""
        pending = [i.due_at for i in self._uow.rows(ScheduledItem) if i.status == PENDING]
        return min((d for d in pending if after is None or d > after), default=None)

    def release_stale(self, claimed_before: datetime, now: datetime) -> int:
        """Return to pending the items claimed before `claimed_before` and never finished."""
        stale = [
            i
            for i in self._uow.rows(ScheduledItem)
            if i.status == RUNNING and i.claimed_at is not None and i.claimed_at < claimed_before
        ]
        for item in stale:
            item.reschedule(now, now)
        return len(stale)

    def cancel(
        self, conversation_ids: list[uuid.UUID], kinds: tuple[str, ...], now: datetime, reason: str
    ) -> int:
        """Cancel the pending items of these kinds for these conversations; return how many."""
        cancelled = [
            i
            for i in self._uow.rows(ScheduledItem)
            if i.conversation_id in conversation_ids and i.kind in kinds and i.status == PENDING
        ]
        for item in cancelled:
            item.close(CANCELLED, now, reason)
        return len(cancelled)

    def reserve_slot(self, sender: str, now: datetime, cost: timedelta) -> datetime:
        """Reserve the sender's next free moment for a send taking `cost`; return it."""
        slot = self._uow.first(SenderSlot, lambda s: s.sender == sender)
        if slot is None:
            slot = self._uow.add(SenderSlot(sender=sender, next_free_at=now))
        start = max(now, slot.next_free_at)
        start = now if start - now > MAX_BACKLOG else start
        slot.next_free_at = start + cost
        return start


class FakeTranslationRepository:
    """Answers' translation state and the translation cache, in memory."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self.cache: dict[tuple[str, str, str, str], str] = {}

    def mark_answer(
        self,
        conversation_id: uuid.UUID,
        question_id: str,
        *,
        status: str | None,
        detected_language: str | None,
        due_at: datetime | None,
    ) -> uuid.UUID | None:
        """Set a stored answer's translation state afresh; return its id (None if absent)."""
        key = (conversation_id, question_id)
        answer = self._uow.first(Answer, lambda a: (a.conversation_id, a.question_id) == key)
        if answer is None:
            return None
        answer.translation = answer.translation_language = answer.translation_provider = None
        answer.translation_attempts, answer.translation_error = 0, None
        answer.translation_status, answer.detected_language = status, detected_language
        answer.translation_due_at = due_at
        return answer.id

    def answer_for_update(self, answer_id: uuid.UUID) -> Answer | None:
        """Return an answer, if any."""
        return self._uow.first(Answer, lambda a: a.id == answer_id)

    def due_answers(self, status: str, now: datetime, limit: int) -> list[uuid.UUID]:
        """Return the ids of answers in `status` whose next attempt is due, oldest first."""
        due = [
            (a.translation_due_at, a.id)
            for a in self._uow.rows(Answer)
            if a.translation_status == status
            and a.translation_due_at is not None
            and a.translation_due_at <= now
        ]
        return [answer_id for _, answer_id in sorted(due)[:limit]]

    def cached(self, text: str, source: str, target: str, provider: str) -> str | None:
        """Return the remembered translation of `text`, if any."""
        return self.cache.get((text_hash(text), source, target, provider))

    def remember(
        self, text: str, source: str, target: str, provider: str, translated: str, now: datetime
    ) -> None:
        """Remember a translation (the first one stays, as with ON CONFLICT DO NOTHING)."""
        self.cache.setdefault((text_hash(text), source, target, provider), translated)


class FakeTokenRepository:
    """API tokens in memory."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def by_hash(self, token_hash: str) -> ApiToken | None:
        """Return the unrevoked token with this digest, if any."""
        return self._uow.first(
            ApiToken, lambda t: t.token_hash == token_hash and t.revoked_at is None
        )

    def all(self) -> list[ApiToken]:
        """Return every API token, oldest first."""
        return sorted(self._uow.rows(ApiToken), key=lambda t: t.created_at)

    def add(
        self, name: str, token_hash: str, now: datetime, scopes: str = "surveys:write"
    ) -> ApiToken:
        """Stage a new API token."""
        token = ApiToken(name=name, token_hash=token_hash, created_at=now, scopes=scopes)
        return self._uow.add(token)


class FakeAccountRepository:
    """Staff accounts in memory."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def add(self, user: User) -> None:
        """Stage a new account."""
        self._uow.add(user)

    def by_email(self, email: str, *, for_update: bool = False) -> User | None:
        """Return the account with this (lower-case) email, if any."""
        return self._uow.first(User, lambda u: u.email == email.lower())

    def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> User | None:
        """Return the account with this id, if any."""
        return self._uow.first(User, lambda u: u.id == user_id)

    def unit_of_officer(self, officer_id: str) -> str | None:
        """Return the unit the officer's live accounts name, if they name exactly one."""
        units = {
            user.unit
            for user in self._uow.rows(User)
            if user.officer_id == officer_id and user.disabled_at is None and user.unit
        }
        return units.pop() if len(units) == 1 else None

    def all(self) -> list[User]:
        """Return every account, by email."""
        return sorted(self._uow.rows(User), key=lambda u: u.email)

    def enabled_admins(self) -> list[User]:
        """Return the enabled admin accounts."""
        return [u for u in self.all() if u.role == "admin" and u.disabled_at is None]


class FakeAuditRepository:
    """The audit log in memory: entries are only added."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def add(self, entry: AuditEntry) -> None:
        """Stage an entry until the block commits."""
        self._uow.add(entry)
