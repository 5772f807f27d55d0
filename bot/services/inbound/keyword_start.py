"""Decide whether a resident who texts a flow's keyword (SURVEY, ENCUESTA) may be surveyed now.

A keyword start obeys the same send rules as a survey a dispatch system asks for, but only
those about the resident's history: they are writing to us now, so there is no contact to
wait after and no quiet hours to keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from bot.engine.model import Flow
from bot.engine.text import normalise
from bot.ports import UnitOfWork
from bot.scheduling.model import RefusalReason, Refuse
from bot.scheduling.rules import decide_send
from bot.services.runtime import Runtime
from bot.services.survey_history import respondent_history
from storage.models import Respondent

# What a refused resident is told (None: nothing at all, as for every text after STOP).
REFUSAL_MESSAGES: dict[RefusalReason, str | None] = {
    RefusalReason.OPTED_OUT: None,
    RefusalReason.DO_NOT_SURVEY: "nosurvey_confirm",
    RefusalReason.FREQUENCY_CAP: "recently_surveyed",
}


def keyword_refusal(
    rt: Runtime, uow: UnitOfWork, respondent: Respondent, now: datetime
) -> Refuse | None:
    """Return why a resident asking for a survey by keyword may not have one now, if so."""
    # Surveys that went out: one still waiting to be sent is capped when it falls due.
    history = respondent_history(uow, respondent, started_only=True)
    policy = replace(rt.policy, delay=timedelta(0), quiet_hours=None)
    decision = decide_send(now, now, None, history, policy, rt.resident_zones(respondent.address))
    return decision if isinstance(decision, Refuse) else None


def flow_for_keyword(flows: Mapping[str, Flow], text: str) -> tuple[Flow, str] | None:
    """Find the flow whose start keyword is `text`, with the keyword's language."""
    wanted = normalise(text)
    for flow in flows.values():
        for language, words in flow.keywords.items():
            if wanted in words:
                return flow, language
    return None
