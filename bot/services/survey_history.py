"""What the send rules know of a respondent: the lists they are on and when last surveyed.

One place for every caller of the rules (a survey asked for, a scheduled start, a keyword):
the conversations still stored count, and so does the survey time retention remembered on the
respondent (rounded up to the day) once it detached their older conversations.
"""

from __future__ import annotations

import uuid

from bot.ports import UnitOfWork
from bot.scheduling.model import RespondentHistory
from storage.models import Respondent


def respondent_history(
    uow: UnitOfWork,
    respondent: Respondent,
    besides: uuid.UUID | None = None,
    *,
    started_only: bool = False,
) -> RespondentHistory:
    """Return the respondent's history for the rules, leaving out the survey `besides`.

    `started_only` counts only surveys whose first text went out (a keyword start).
    """
    stored = uow.conversations.last_survey_at(respondent.id, besides, started_only=started_only)
    remembered = respondent.last_surveyed_at
    moments = [moment for moment in (stored, remembered) if moment is not None]
    return RespondentHistory(
        opted_out=respondent.opted_out_at is not None,
        do_not_survey=respondent.do_not_survey_at is not None,
        last_survey_at=max(moments, default=None),
    )
