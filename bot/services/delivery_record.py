"""Record how a provider call went: sent, retry later, give up, or opt the resident out.

The channel's adapter has already said what a refusal means (bot.ports.DeliveryError.kind):
this module acts on that meaning and never on a provider's own codes, so every channel's
failures are handled alike.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from bot.engine.model import Status
from bot.ports import DeliveryError, UnitOfWork
from bot.scheduling.pacing import MAX_DELIVERY_ATTEMPTS, retry_wait
from bot.scheduling.rules import next_allowed
from bot.scheduling.states import DeliveryFailure, ItemKind, ItemStatus, MessageStatus, RunOutcome
from bot.services.followups import plan_follow_ups
from bot.services.optout import opt_out
from bot.services.runtime import Runtime
from storage.models import Message, ScheduledItem

log = logging.getLogger(__name__)


def record_delivery(
    rt: Runtime,
    item_id: uuid.UUID,
    provider_id: str | None,
    error: DeliveryError | None,
    looked_up: bool = False,
) -> RunOutcome:
    """Store how the provider call went; schedule a retry when the failure may pass."""
    with rt.uow() as uow:
        now = rt.clock()
        item = lock_item(uow, item_id)
        message = uow.messages.get(item.message_id) if item and item.message_id else None
        if item is None or message is None:
            return RunOutcome.SKIPPED
        message.updated_at = now
        item.attempts += 1 if looked_up else 0
        if error is None:
            _sent(rt, uow, item, message, provider_id, now)
            uow.commit()
            return RunOutcome.SENT
        outcome = _failed(rt, uow, item, message, error, now)
        retry_at = item.due_at if outcome is RunOutcome.RETRY else None
        uow.commit()
    if retry_at is not None:
        enqueue_again(rt, item_id, retry_at)
    return outcome


def lock_item(uow: UnitOfWork, item_id: uuid.UUID) -> ScheduledItem | None:
    """Lock a scheduled item's resident, then the item: an inbound turn's order of locks."""
    uow.respondents.lock_for_item(item_id)
    return uow.schedule.get(item_id, for_update=True)


def enqueue_again(rt: Runtime, item_id: uuid.UUID, due_at: datetime) -> None:
    """Ask the dispatcher to run the item again at `due_at` (the sweep would find it anyway)."""
    if rt.dispatcher is not None:
        rt.dispatcher.enqueue_item(item_id, due_at)


def _sent(
    rt: Runtime,
    uow: UnitOfWork,
    item: ScheduledItem,
    message: Message,
    provider_id: str | None,
    now: datetime,
) -> None:
    """Record a text the provider took; a survey's first text plans its reminders and expiry."""
    message.status, message.provider_message_id = MessageStatus.SENT, provider_id
    if message.conversation_id is not None:
        uow.conversations.record_text(message.conversation_id, MessageStatus.SENT, now)
    item.close(ItemStatus.DONE, now)
    if item.kind != ItemKind.START:
        return
    conversation = (
        uow.conversations.get(message.conversation_id) if message.conversation_id else None
    )
    respondent = uow.respondents.get(message.respondent_id) if message.respondent_id else None
    if conversation is not None and respondent is not None and conversation.status == Status.ACTIVE:
        plan_follow_ups(rt, uow, conversation, respondent.address, now)


def _failed(
    rt: Runtime,
    uow: UnitOfWork,
    item: ScheduledItem,
    message: Message,
    error: DeliveryError,
    now: datetime,
) -> RunOutcome:
    """Record a failed send: opt out, give up, or retry later with backoff."""
    message.error_code = error.code
    attempt, kind = item.attempts, error.kind
    log.warning(
        "delivery of message %s failed (attempt %d): %s %s", message.id, attempt, kind, error.code
    )
    if error.kind is DeliveryFailure.OPTED_OUT:
        return _opted_out(uow, item, message, now)
    # A text that may have left stays "unknown": it is looked up before any resend.
    doubt = MessageStatus.UNKNOWN if error.uncertain else None
    retry_at = _retry_at(rt, uow, item, message, error, now)
    if error.permanent or item.attempts >= MAX_DELIVERY_ATTEMPTS or retry_at is None:
        message.status = doubt or MessageStatus.FAILED
        return _give_up(uow, item, error, now)
    message.status = doubt or MessageStatus.QUEUED
    item.reschedule(retry_at, now)
    item.paced, item.last_error = False, str(error)[:200]
    return RunOutcome.RETRY


def _give_up(
    uow: UnitOfWork, item: ScheduledItem, error: DeliveryError, now: datetime
) -> RunOutcome:
    """Stop trying; a survey whose first text never left is closed as undeliverable."""
    item.close(ItemStatus.FAILED, now, f"gave up after {item.attempts} attempts: {error}")
    conversation = uow.conversations.get(item.conversation_id) if item.conversation_id else None
    if item.kind == ItemKind.START and conversation is not None:
        conversation.undeliverable(now)
    return RunOutcome.FAILED


def _opted_out(uow: UnitOfWork, item: ScheduledItem, message: Message, now: datetime) -> RunOutcome:
    """Opt out a resident the channel says blocked us; the text is never retried."""
    message.status = MessageStatus.FAILED
    respondent = uow.respondents.get(message.respondent_id) if message.respondent_id else None
    if respondent is not None:
        opt_out(uow, respondent, now)
    item.close(ItemStatus.FAILED, now, "the number has opted out at the provider")
    return RunOutcome.OPTED_OUT


def _retry_at(
    rt: Runtime,
    uow: UnitOfWork,
    item: ScheduledItem,
    message: Message,
    error: DeliveryError,
    now: datetime,
) -> datetime | None:
    """Return when to try again: after the backoff (or the channel's wait), never in quiet hours.

    A reply is the exception: it answers the resident's own message, so it goes at any hour,
    and as soon as the channel allows (Telegram's retry_after), not after a survey's backoff.
    """
    if item.kind == ItemKind.REPLY:
        return now + (error.retry_after or retry_wait(item.attempts, None))
    wait = retry_wait(item.attempts, error.retry_after)
    respondent = uow.respondents.get(message.respondent_id) if message.respondent_id else None
    zones = rt.resident_zones(respondent.address if respondent else "")
    return next_allowed(now + wait, rt.policy.quiet_hours, zones)
