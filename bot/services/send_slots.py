"""When a claimed text may leave: outside quiet hours, after earlier replies, at the sender's pace.

The database holds each sending number's next free slot (bot.ports.ScheduleRepository
.reserve_slot), so the pace is shared by every process; these decide, for one claimed item,
whether it goes now or is put back until a given moment.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.ports import ScheduleRepository, Sender
from bot.scheduling.rules import next_allowed
from bot.scheduling.states import ItemKind
from bot.services.runtime import Runtime
from storage.models import Message, ScheduledItem

# How long a reply waits, and waits again, behind an earlier reply to the same resident.
REPLY_ORDER_WAIT = timedelta(seconds=1)


def sender_key(channel: str, sender: Sender) -> str:
    """Name the sending number whose pace a send counts against."""
    return sender.identity or channel


def allowed_at(rt: Runtime, item: ScheduledItem, address: str, now: datetime) -> datetime | None:
    """Return when the text may leave: outside quiet hours, or a reply at once."""
    if item.kind == ItemKind.REPLY:
        return now  # The resident has just written: the answer goes whatever the hour.
    return next_allowed(now, rt.policy.quiet_hours, rt.resident_zones(address))


def behind_reply(
    schedule: ScheduleRepository, item: ScheduledItem, message: Message, now: datetime
) -> datetime | None:
    """Hold a reply while an earlier one to the same resident has not left: keep their order.

    An earlier reply waits for a retry (Telegram asked to slow down) or for its slot: the next
    question must not overtake the answer to the one before it.
    """
    if item.kind != ItemKind.REPLY or message.respondent_id is None:
        return None
    if not schedule.reply_waiting(message.respondent_id, item.created_at):
        return None
    later = now + REPLY_ORDER_WAIT
    item.reschedule(later, now)
    return later


def paced_until(
    rt: Runtime,
    schedule: ScheduleRepository,
    item: ScheduledItem,
    message: Message,
    sender: Sender,
    now: datetime,
) -> datetime | None:
    """Reserve the sender's next slot; return it when the send must wait for it.

    An item woken at its reserved slot sends; one that runs well past it (a worker was down,
    a backlog built up) takes a new slot, so a backlog leaves at the pace, not all at once.
    The sender prices the message itself (SMS: its segments), so pacing knows no channel.
    """
    if item.paced and now - item.due_at <= rt.pacing.burst:
        return None
    key = sender_key(message.channel, sender)
    cost = rt.pacing.cost(key, sender.cost(message.body or ""))
    slot = schedule.reserve_slot(key, now, cost)
    item.paced = True
    if slot <= now + rt.pacing.burst:
        return None
    item.reschedule(slot, now)
    return slot


def quiet_until(item: ScheduledItem, allowed: datetime, now: datetime) -> datetime | None:
    """Hold a text that would leave in the resident's quiet hours until they end."""
    if allowed <= now:
        return None
    item.reschedule(allowed, now)
    item.paced = False  # Its slot has passed by morning: take a new one then.
    return allowed
