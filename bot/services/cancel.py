"""Cancel surveys: one by its id, or every live one about an incident (API, officer page, CLI).

Cancelling is idempotent: a survey already closed (cancelled, refused, completed, expired) is
described as it is and left alone. A cancelled survey is never texted after: its pending
items are cancelled and a first text not yet handed to the provider is withdrawn.
"""

from __future__ import annotations

import uuid

from bot.scheduling.model import RefusalReason
from bot.services.optout import cancel_conversation
from bot.services.runtime import Runtime
from bot.services.surveys import SurveyStarted, describe_survey


def cancel_survey(
    rt: Runtime, survey_id: uuid.UUID, reason: RefusalReason = RefusalReason.CANCELLED
) -> SurveyStarted | None:
    """Cancel one survey unless it has already ended; describe it (None if there is none)."""
    with rt.uow() as uow:
        conversation = uow.conversations.get(survey_id)
        respondent = uow.respondents.get(conversation.respondent_id) if conversation else None
        if conversation is None or respondent is None:
            return None
        if not respondent.reachable:
            # Retention detached it, and it only does so to ended surveys: nothing to cancel.
            return describe_survey(conversation, cancelled=False)
        channel, address = respondent.channel, respondent.address
    with rt.uow() as uow:
        now = rt.clock()
        # Lock the resident first (as a send or a reply does), then read the survey afresh.
        uow.respondents.for_update(channel, address, now)
        conversation = uow.conversations.get(survey_id)
        if conversation is None:
            return None
        cancelled = cancel_conversation(uow, conversation, reason, now)
        uow.commit()
        return describe_survey(conversation, cancelled=cancelled)


def cancel_incident(
    rt: Runtime, incident_id: str, reason: RefusalReason = RefusalReason.CANCELLED
) -> list[SurveyStarted]:
    """Cancel every scheduled or active survey about an incident; describe each one cancelled."""
    with rt.uow() as uow:
        ids = [c.id for c in uow.contacts.live_for_incident(incident_id)]
    found = (cancel_survey(rt, survey_id, reason) for survey_id in ids)
    return [survey for survey in found if survey is not None]
