"""What follows a survey's first text: reminders and expiry, or closing a survey never delivered."""

from __future__ import annotations

from datetime import datetime

from bot.engine.model import Status
from bot.ports import UnitOfWork
from bot.scheduling.disposition import Disposition
from bot.scheduling.rules import expires_at, reminder_times
from bot.services.runtime import Runtime
from storage.models import EXPIRY, REMINDER, Conversation


def plan_follow_ups(
    rt: Runtime, uow: UnitOfWork, conversation: Conversation, address: str, sent_at: datetime
) -> None:
    """Schedule reminders and expiry from when the first text actually left."""
    policy = rt.policy
    zone = rt.resident_zones(address)
    for ordinal, at in enumerate(reminder_times(sent_at, policy, zone), start=1):
        uow.schedule.schedule(conversation.id, REMINDER, at, sent_at, ordinal)
        conversation.reminders_pending = True
    conversation.expires_at = expires_at(sent_at, policy)
    uow.schedule.schedule(conversation.id, EXPIRY, conversation.expires_at, sent_at)


def undeliverable(conversation: Conversation, now: datetime) -> None:
    """Close a survey whose first text could not be delivered."""
    if conversation.status in (Status.ACTIVE.value, Status.SCHEDULED.value):
        conversation.status = Status.EXPIRED.value
        conversation.disposition = Disposition.UNDELIVERABLE.value
        conversation.updated_at = now
