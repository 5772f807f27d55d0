"""Say in plain words what became of a survey request, for the officer who made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.engine.model import LIVE
from bot.scheduling.states import HELD_BACK, RunOutcome
from bot.services.surveys import SurveyStarted

# Said for every refusal that comes from the resident's history (opted out, do-not-survey,
# surveyed recently): an officer must not learn a resident's wishes or past surveys from it.
NOT_TO_THIS_NUMBER = "A survey cannot be sent to this number."
# One sentence per stable refusal reason (bot.scheduling.model.RefusalReason).
REFUSALS = {
    "excluded_call_type": "Surveys are never sent after this type of call.",
    "opted_out": NOT_TO_THIS_NUMBER,
    "do_not_survey": NOT_TO_THIS_NUMBER,
    "stale_contact": "The contact was too long ago to ask about it now.",
    "frequency_cap": NOT_TO_THIS_NUMBER,
    "cancelled": "The survey was cancelled; nothing will be sent.",
    "no_allowed_hour": "The number may be in places where it is never daytime at the same time "
    "as here, so we will not text it.",
}
CANCELLED = "Cancelled — nothing will be sent."


@dataclass(frozen=True)
class Outcome:
    """A kind (for styling and tests), a headline and one sentence."""

    kind: str
    title: str
    detail: str


def describe(started: SurveyStarted, zone: ZoneInfo) -> Outcome:
    """Describe a started, scheduled, refused, cancelled or duplicate survey request."""
    if started.cancelled:
        if started.reason == "excluded_call_type":
            detail = "The call type is now one that is never surveyed, so the survey asked for"
            return Outcome("cancelled", "Cancelled", f"{detail} earlier is cancelled. {CANCELLED}")
        return Outcome("cancelled", "Cancelled", CANCELLED)
    if started.duplicate:
        detail = "A survey for this incident and this resident was already requested."
        return Outcome("duplicate", "Already requested", detail + " Nothing new was sent.")
    if started.reason is not None:
        sentence = REFUSALS.get(started.reason, "A send rule does not allow a survey now.")
        return Outcome("refused", "Not sent", sentence)
    if started.delivery == RunOutcome.SENT:
        return Outcome("sent", "Sent", "The survey was texted to the resident.")
    if started.delivery == RunOutcome.OPTED_OUT:
        # The provider reports the number replied STOP to us before (an opted-out refusal).
        return Outcome("refused", "Not sent", NOT_TO_THIS_NUMBER)
    if started.delivery == RunOutcome.FAILED:
        detail = "The text provider did not accept the message; the request is recorded."
        return Outcome("failed", "Not delivered", detail)
    if started.delivery in HELD_BACK:
        return Outcome("queued", "Queued", _queued(started, zone))
    if started.scheduled_for is not None:
        when = _when(started.scheduled_for, zone)
        return Outcome("scheduled", "Scheduled", f"The survey will be texted {when}.")
    return Outcome("requested", "Requested", "The survey request is recorded.")


def _queued(started: SurveyStarted, zone: ZoneInfo) -> str:
    """Say when a held-back first text will really go out, behind the sender's backlog."""
    if started.queued_until is None:
        return "The survey is queued; the time it goes out is not known yet."
    why = "other texts" if started.delivery == RunOutcome.PACED else "a busy text provider"
    when = _when(started.queued_until, zone)
    return f"The survey is queued behind {why} and will be texted {when}."


def _when(moment: datetime, zone: ZoneInfo) -> str:
    """Write a moment as the agency reads it: `at 17:00 on Mon 2 Nov (EST)`."""
    local = moment.astimezone(zone)
    return f"at {local:%H:%M} on {local:%a} {local.day} {local:%b} ({local.tzname()})"


def cancellable(started: SurveyStarted) -> bool:
    """Say whether the officer may still cancel the survey (it is scheduled or under way)."""
    return started.status in LIVE
