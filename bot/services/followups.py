"""What follows a survey's first text: its reminders and its expiry."""

from __future__ import annotations

from datetime import datetime

from bot.ports import UnitOfWork
from bot.scheduling.rules import expires_at, reminder_times
from bot.scheduling.states import ItemKind
from bot.services.runtime import Runtime
from storage.models import Conversation


def plan_follow_ups(
    rt: Runtime, uow: UnitOfWork, conversation: Conversation, address: str, sent_at: datetime
) -> None:
    """Schedule reminders and expiry from when the first text actually left."""
    policy = rt.policy
    zone = rt.resident_zones(address)
    for ordinal, at in enumerate(reminder_times(sent_at, policy, zone), start=1):
        uow.schedule.schedule(conversation.id, ItemKind.REMINDER, at, sent_at, ordinal)
        conversation.reminders_pending = True
    conversation.expires_at = expires_at(sent_at, policy)
    uow.schedule.schedule(conversation.id, ItemKind.EXPIRY, conversation.expires_at, sent_at)
