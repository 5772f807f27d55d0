"""Stop surveying a resident: STOP, NOSURVEY or a provider's report that the number opted out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.engine.model import Status
from bot.ports import UnitOfWork
from bot.scheduling.model import RefusalReason
from bot.scheduling.states import ALL_KINDS, MessageStatus
from storage.models import Conversation, Respondent

log = logging.getLogger(__name__)


def opt_out(uow: UnitOfWork, respondent: Respondent, now: datetime) -> int:
    """Record an opt-out and end every survey still scheduled or open; return how many."""
    respondent.opted_out_at = respondent.opted_out_at or now
    return close_live(uow, respondent, now, Status.OPTED_OUT, lambda c: c.opt_out(now))


def join_do_not_survey(uow: UnitOfWork, respondent: Respondent, now: datetime) -> int:
    """Put a resident on the do-not-survey list and end their surveys; return how many."""
    respondent.do_not_survey_at = respondent.do_not_survey_at or now
    return close_live(
        uow,
        respondent,
        now,
        Status.REFUSED,
        lambda c: c.refuse(RefusalReason.DO_NOT_SURVEY, now),
    )


def close_live(
    uow: UnitOfWork,
    respondent: Respondent,
    now: datetime,
    note: str,
    close: Callable[[Conversation], None],
) -> int:
    """End a respondent's live surveys with `close`; cancel what they had pending."""
    live = uow.conversations.live_for(respondent.id)
    for conversation in live:
        close(conversation)
    # Expiry too: the disposition is set now.
    uow.schedule.cancel([c.id for c in live], ALL_KINDS, now, note)
    return len(live)


def cancel_conversation(
    uow: UnitOfWork, conversation: Conversation, reason: RefusalReason, now: datetime
) -> bool:
    """Close a scheduled or active survey for good, so nothing more is texted; say if it was live.

    Its pending start, reminders and expiry are cancelled, and a text composed but not yet
    handed to the provider is withdrawn (delivery sends only messages still "queued"). The
    caller holds the respondent's row lock, so no send or inbound turn runs meanwhile.
    """
    if not conversation.live:
        return False
    conversation.cancel(reason, now)
    uow.schedule.cancel([conversation.id], ALL_KINDS, now, f"cancelled: {reason.value}")
    for message in uow.messages.queued_for(conversation.id):
        message.status, message.error_code = MessageStatus.CANCELLED, reason.value
        message.updated_at = now
    log.info("survey %s cancelled: %s", conversation.id, reason.value)
    return True
