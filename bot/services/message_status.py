"""Record a provider's delivery reports on the outbound message log.

Reports arrive out of order and more than once (a late "sent" after "delivered", a retried
callback), so a message's status only ever moves forward and a repeat changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.ports import UnitOfWork
from bot.scheduling.states import DELIVERED, REACHED, Direction, MessageStatus
from bot.services.optout import opt_out
from bot.services.runtime import Runtime
from storage.models import Message

log = logging.getLogger(__name__)

# How far along its way each status says a message is. Final statuses share a rank: the first
# one reported wins. Statuses missing here (an inbound "received") never change a message.
STATUS_RANK: dict[str, int] = {
    MessageStatus.ACCEPTED: 0,
    MessageStatus.SCHEDULED: 0,
    MessageStatus.QUEUED: 1,
    MessageStatus.SENDING: 2,
    MessageStatus.SENT: 3,
    MessageStatus.DELIVERED: 4,
    MessageStatus.UNDELIVERED: 4,
    MessageStatus.FAILED: 4,
    MessageStatus.CANCELLED: 4,
    MessageStatus.READ: 5,
}


@dataclass(frozen=True)
class StatusReport:
    """A provider's word on one outbound message, normalised by its channel adapter."""

    channel: str
    provider_message_id: str
    status: MessageStatus
    error_code: str | None = None
    # The provider says the recipient opted out with it (its adapter reads how): stop surveying.
    opted_out: bool = False


def moves_forward(current: str, reported: MessageStatus) -> bool:
    """Say whether a reported status is further along than the message's current one."""
    if reported not in STATUS_RANK:
        return False
    return STATUS_RANK[reported] > STATUS_RANK.get(current, -1)


def record_status(rt: Runtime, report: StatusReport) -> bool:
    """Apply a delivery report to the message it names; return whether anything changed."""
    with rt.uow() as uow:
        now = rt.clock()
        message = _locked_outbound(uow, report)
        if message is None or not moves_forward(message.status, report.status):
            return False
        _record_progress(uow, message, report.status, now)
        message.status = report.status
        message.error_code = report.error_code or message.error_code
        message.updated_at = now
        if report.opted_out:
            _opt_out_recipient(uow, message, now)
        uow.commit()
    # Failures matter to an operator; every other step of every message would only be noise.
    level = logging.INFO if report.error_code else logging.DEBUG
    log.log(level, "message %s %s (error %s)", message.id, report.status, report.error_code)
    return True


def _record_progress(
    uow: UnitOfWork, message: Message, status: MessageStatus, now: datetime
) -> None:
    """Note on the message's conversation a first sent or delivered text, once.

    Only news costs a statement: a text already sent that is now undelivered says nothing new.
    """
    if message.conversation_id is None:
        return
    news = (status in REACHED and message.status not in REACHED) or (
        status in DELIVERED and message.status not in DELIVERED
    )
    if news:
        uow.conversations.record_text(message.conversation_id, status, now)


def _locked_outbound(uow: UnitOfWork, report: StatusReport) -> Message | None:
    """Find the outbound message a report names and lock it, so reports apply one at a time.

    Without the lock, two simultaneous reports ("sent" and "delivered") could both read the
    old status and the later write could move the message backwards.
    """
    found = uow.messages.find(report.channel, report.provider_message_id)
    if found is None or found.direction != Direction.OUT:
        log.debug("%s status for unknown message %s", report.channel, report.provider_message_id)
        return None
    return uow.messages.get(found.id, for_update=True)


def _opt_out_recipient(uow: UnitOfWork, message: Message, now: datetime) -> None:
    """Record that the message's recipient opted out, ending what they had scheduled or open."""
    if message.respondent_id is None:
        return  # The respondent was erased: nobody left to stop surveying.
    respondent = uow.respondents.get(message.respondent_id)
    if respondent is None or not respondent.reachable:
        return
    # Lock the row as an inbound turn does, so a reply arriving now is serialised with this.
    respondent = uow.respondents.for_update(respondent.channel, respondent.address, now)
    closed = opt_out(uow, respondent, now)
    log.info("respondent %s opted out with the provider; %d surveys closed", respondent.id, closed)
