"""Stop surveying a resident: STOP, NOSURVEY or a provider's report that the number opted out."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.engine.model import Status
from bot.ports import UnitOfWork
from bot.scheduling.disposition import Disposition
from bot.scheduling.model import RefusalReason
from storage.models import ALL_KINDS, LIVE, Conversation, Respondent

log = logging.getLogger(__name__)


def opt_out(uow: UnitOfWork, respondent: Respondent, now: datetime) -> int:
    """Record an opt-out and end every survey still scheduled or open; return how many."""
    respondent.opted_out_at = respondent.opted_out_at or now
    return close_live(uow, respondent, now, Status.OPTED_OUT, Disposition.OPTED_OUT, None)


def join_do_not_survey(uow: UnitOfWork, respondent: Respondent, now: datetime) -> int:
    """Put a resident on the do-not-survey list and end their surveys; return how many."""
    respondent.do_not_survey_at = respondent.do_not_survey_at or now
    return close_live(
        uow, respondent, now, Status.REFUSED, Disposition.REFUSED, RefusalReason.DO_NOT_SURVEY
    )


def close_live(
    uow: UnitOfWork,
    respondent: Respondent,
    now: datetime,
    status: Status,
    disposition: Disposition,
    reason: RefusalReason | None,
) -> int:
    """End a respondent's scheduled and active surveys and cancel what they had pending."""
    live = uow.conversations.live_for(respondent.id)
    for conversation in live:
        conversation.status = status.value
        conversation.disposition = disposition.value
        if reason is not None and conversation.started_at is None:
            conversation.refusal_reason = reason.value
        conversation.updated_at = now
    # Expiry too: the disposition is set now.
    uow.schedule.cancel([c.id for c in live], ALL_KINDS, now, status.value)
    return len(live)


def cancel_conversation(
    uow: UnitOfWork, conversation: Conversation, reason: RefusalReason, now: datetime
) -> bool:
    """Close a scheduled or active survey for good, so nothing more is texted; say if it was live.

    Its pending start, reminders and expiry are cancelled, and a text composed but not yet
    handed to the provider is withdrawn (delivery sends only messages still "queued"). The
    caller holds the respondent's row lock, so no send or inbound turn runs meanwhile.
    """
    if conversation.status not in LIVE:
        return False
    conversation.status = Status.REFUSED.value
    conversation.disposition = Disposition.REFUSED.value
    conversation.refusal_reason = reason.value
    conversation.reminders_pending = False
    conversation.updated_at = now
    uow.schedule.cancel([conversation.id], ALL_KINDS, now, f"cancelled: {reason.value}")
    for message in uow.messages.queued_for(conversation.id):
        message.status, message.error_code, message.updated_at = "cancelled", reason.value, now
    log.info("survey %s cancelled: %s", conversation.id, reason.value)
    return True


def record_refusal(conversation: Conversation, reason: RefusalReason, now: datetime) -> None:
    """Record that a survey will not be sent, and why; an opted-out resident reads as such."""
    opted_out = reason is RefusalReason.OPTED_OUT
    conversation.status = (Status.OPTED_OUT if opted_out else Status.REFUSED).value
    conversation.disposition = (Disposition.OPTED_OUT if opted_out else Disposition.REFUSED).value
    conversation.refusal_reason = reason.value
    conversation.updated_at = now
