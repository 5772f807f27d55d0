"""Translate free-text answers into the agency's language, in the background, losing nothing.

The database is the source of truth: an answer waits as `pending` with a due time until a
translation is stored, so a lost queue or a crashed worker delays work but never drops it.
A worker claims an answer by booking its next attempt (attempts + 1, due after the backoff)
before it calls the provider, outside any transaction; a crash mid-call is retried then.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import TypeGuard

from bot.engine.model import AnswerRecord, AnswerValue, NodeKind
from bot.ports import TranslationError, TranslationRepository, Translator, UnitOfWork
from bot.services.alerts import raise_alerts
from bot.services.runtime import Runtime
from storage.models import Answer, Conversation

log = logging.getLogger(__name__)

# Wait 1 min, 5 min, 30 min, 2 h after the 1st to 4th failure, then 6 h after each one.
BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 30, 120, 360))
MAX_ATTEMPTS = 10
SWEEP_LIMIT = 100
TEXT = NodeKind.TEXT
# The cache's source when neither detection nor the conversation names one.
AUTO = "auto"


class TranslationStatus(StrEnum):
    """Where a free-text answer's translation stands; the original text is always kept."""

    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    DISABLED = "disabled"


def backoff(attempts: int) -> timedelta:
    """Return how long to wait after `attempts` failed attempts (at least one)."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def retry_intervals() -> list[int]:
    """Return the waits between retries in seconds, for a queue's own retry schedule."""
    return [int(wait.total_seconds()) for wait in BACKOFF]


def same_language(a: str | None, b: str | None) -> bool:
    """Say whether two language codes name one language (zh and zh-CN do)."""
    if not a or not b:
        return False
    return a.split("-")[0].lower() == b.split("-")[0].lower()


def detect(rt: Runtime, text: str, hint: str | None) -> str | None:
    """Detect the language of a free-text answer with the runtime's detector (its locales)."""
    if rt.detect is None:
        return hint  # No detector wired (bootstrap always wires one from the loaded locales).
    try:
        return rt.detect(text, hint)
    except Exception:
        # A detector fault must not cost the resident's turn; the hint is the next best guess.
        log.exception("language detection failed")
        return hint


def _free_text(value: AnswerValue) -> str | None:
    """Return an answer's text when there is some to translate."""
    return value if isinstance(value, str) and value.strip() else None


def _initial_status(rt: Runtime, text: str | None, language: str) -> TranslationStatus | None:
    """Decide what a newly stored free-text answer needs."""
    if text is None:
        return None
    if same_language(language, rt.agency_language):
        return TranslationStatus.NOT_NEEDED
    if rt.translator is None:
        return TranslationStatus.DISABLED
    return TranslationStatus.PENDING


def queue_translations(
    rt: Runtime,
    uow: UnitOfWork,
    conversation: Conversation,
    answers: Sequence[AnswerRecord],
    now: datetime,
) -> None:
    """Mark stored free-text answers for translation; hand them over once the block commits."""
    if rt.dispatcher is not None:
        # Any stored answer wakes the background (and its sweep), also after a restart.
        rt.dispatcher.start()
    flow = rt.flow_of(conversation)
    nodes = flow.nodes if flow is not None else {}
    texts = [a for a in answers if a.question_id in nodes and nodes[a.question_id].kind is TEXT]
    due = [answer_id for a in texts if (answer_id := _mark(rt, uow, conversation.id, a, now))]
    if due:
        uow.after_commit(partial(dispatch, rt, due))


def _mark(
    rt: Runtime, uow: UnitOfWork, conversation_id: uuid.UUID, answer: AnswerRecord, now: datetime
) -> uuid.UUID | None:
    """Store a free-text answer's detected language and status; return its id if pending."""
    text = _free_text(answer.value)
    detected = detect(rt, text, answer.language) if text else None
    status = _initial_status(rt, text, detected or answer.language)
    pending = status is TranslationStatus.PENDING
    answer_id = uow.translations.mark_answer(
        conversation_id,
        answer.question_id,
        status=status.value if status is not None else None,
        detected_language=detected,
        due_at=now if pending else None,
    )
    return answer_id if pending else None


def dispatch(rt: Runtime, answer_ids: Iterable[uuid.UUID]) -> None:
    """Hand committed answers to the background; a queue outage only delays them."""
    dispatcher = rt.dispatcher
    if dispatcher is None:
        return
    for answer_id in answer_ids:
        try:
            dispatcher.enqueue_translation(answer_id)
        except Exception as exc:
            # The answer is stored as pending: the next sweep enqueues it again.
            log.warning("could not enqueue answer %s for translation: %r", answer_id, exc)


def sweep_translations(rt: Runtime, limit: int = SWEEP_LIMIT) -> int:
    """Enqueue answers whose translation is due (after a crash, a failure or a lost queue)."""
    if rt.dispatcher is None:
        return 0
    with rt.uow() as uow:
        due = uow.translations.due_answers(TranslationStatus.PENDING.value, rt.clock(), limit)
    for answer_id in due:
        rt.dispatcher.enqueue_translation(answer_id)
    if due:
        log.info("sweep enqueued %d due translations", len(due))
    return len(due)


@dataclass(frozen=True)
class _Claim:
    """An attempt booked on an answer: what to translate, and how to recognise it after."""

    answer_id: uuid.UUID
    text: str
    source: str
    target: str
    provider: str
    attempts: int
    # The translator the attempt was booked with (an answer is only booked when there is one).
    translator: Translator


def translate_answer(rt: Runtime, answer_id: uuid.UUID) -> str | None:
    """Translate one answer if it is pending and due; return its translation status after.

    A provider failure is recorded (the answer stays pending until its attempts run out)
    and then raised, so a job queue sees the failure too.
    """
    claimed = _claim(rt, answer_id)
    if not isinstance(claimed, _Claim):
        return claimed
    try:
        translated = claimed.translator.translate(claimed.text, _source(claimed), claimed.target)
    except TranslationError as exc:
        _record_failure(rt, claimed, exc)
        raise
    return _record_success(rt, claimed, translated)


def _source(claim: _Claim) -> str | None:
    """Return the source language to tell the provider (None lets it detect)."""
    return None if claim.source == AUTO else claim.source


def _claim(rt: Runtime, answer_id: uuid.UUID) -> _Claim | str | None:
    """Book an attempt on a due answer; else return its status as it stands (or settles)."""
    with rt.uow() as uow:
        store = uow.translations
        answer = store.answer_for_update(answer_id)
        if answer is None or not _due(answer, rt.clock()):
            return answer.translation_status if answer is not None else None
        outcome = _book(rt, store, answer)
        if outcome == TranslationStatus.DONE:
            _read_for_alerts(rt, uow, answer)  # translated from the cache
        uow.commit()
        return outcome


def _book(rt: Runtime, store: TranslationRepository, answer: Answer) -> _Claim | str:
    """Settle an answer from the cache or for want of a provider; else book an attempt."""
    text = _free_text(answer.value)
    if rt.translator is None or text is None:
        status = TranslationStatus.DISABLED if text else TranslationStatus.NOT_NEEDED
        _settle(answer, status)
        return status.value
    source = answer.detected_language or answer.language or AUTO
    target, provider = rt.agency_language, rt.translator.name
    cached = store.cached(text, source, target, provider)
    if cached is not None:
        _done(answer, cached, target, provider)
        return TranslationStatus.DONE.value
    # The booking is also a lease: if this worker dies mid-call, the sweep retries then.
    answer.translation_attempts += 1
    answer.translation_due_at = rt.clock() + backoff(answer.translation_attempts)
    return _Claim(
        answer.id, text, source, target, provider, answer.translation_attempts, rt.translator
    )


def _due(answer: Answer, now: datetime) -> bool:
    """Say whether an answer waits for a translation attempt now."""
    if answer.translation_status != TranslationStatus.PENDING:
        return False
    return answer.translation_due_at is None or answer.translation_due_at <= now


def _settle(answer: Answer, status: TranslationStatus) -> None:
    """Stop waiting on an answer that will not be translated."""
    answer.translation_status = status.value
    answer.translation_due_at = None


def _read_for_alerts(rt: Runtime, uow: UnitOfWork, answer: Answer) -> None:
    """Read a translated answer's conversation for alerts: its translation may name more."""
    conversation = uow.conversations.get(answer.conversation_id)
    if conversation is not None:
        raise_alerts(rt, uow, conversation, rt.clock())


def _done(answer: Answer, translated: str, target: str, provider: str) -> None:
    """Store a translation beside the original text."""
    answer.translation = translated
    answer.translation_language = target
    answer.translation_provider = provider
    answer.translation_error = None
    _settle(answer, TranslationStatus.DONE)


def _still_claimed(answer: Answer | None, claim: _Claim) -> TypeGuard[Answer]:
    """Say whether our booking still stands (the answer was not replaced meanwhile)."""
    if answer is None or answer.translation_status != TranslationStatus.PENDING:
        return False
    return answer.translation_attempts == claim.attempts


def _record_success(rt: Runtime, claim: _Claim, translated: str) -> str | None:
    """Store a translation on the answer and in the cache."""
    with rt.uow() as uow:
        store = uow.translations
        # The answer is locked first: an erasure holding it wins, and its words are not cached
        # after it (it deletes answers, then their cache rows: the same order, no deadlock).
        answer = store.answer_for_update(claim.answer_id)
        if answer is not None:
            store.remember(
                claim.text, claim.source, claim.target, claim.provider, translated, rt.clock()
            )
        if _still_claimed(answer, claim):
            _done(answer, translated, claim.target, claim.provider)
            _read_for_alerts(rt, uow, answer)
        uow.commit()
        log.info("answer %s translated by %s", claim.answer_id, claim.provider)
        return answer.translation_status if answer is not None else None


def _record_failure(rt: Runtime, claim: _Claim, exc: TranslationError) -> None:
    """Keep the original and the booked retry; give up after the last attempt."""
    with rt.uow() as uow:
        answer = uow.translations.answer_for_update(claim.answer_id)
        if _still_claimed(answer, claim):
            # TranslationError messages name the provider and error type, never the text.
            answer.translation_error = str(exc)[:200]
            if answer.translation_attempts >= MAX_ATTEMPTS:
                _settle(answer, TranslationStatus.FAILED)
        uow.commit()
    log.warning(
        "translating answer %s failed (attempt %d of %d): %s",
        claim.answer_id,
        claim.attempts,
        MAX_ATTEMPTS,
        exc,
    )
