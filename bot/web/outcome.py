"""Say in plain words what became of a survey request, for the officer who made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.surveys import SurveyStarted

# One sentence per stable refusal reason (bot.scheduling.model.RefusalReason).
REFUSALS = {
    "excluded_call_type": "Surveys are never sent after this type of call.",
    "opted_out": "This number has asked not to get texts from us.",
    "do_not_survey": "This number is on the do-not-survey list.",
    "stale_contact": "The contact was too long ago to ask about it now.",
    "frequency_cap": "This resident was asked for a survey recently, so we will not ask again yet.",
    "no_allowed_hour": "The number may be in places where it is never daytime at the same time "
    "as here, so we will not text it.",
}


@dataclass(frozen=True)
class Outcome:
    """A kind (for styling and tests), a headline and one sentence."""

    kind: str
    title: str
    detail: str


def describe(started: SurveyStarted, zone: ZoneInfo) -> Outcome:
    """Describe a started, scheduled, refused or duplicate survey request."""
    if started.duplicate:
        detail = "A survey for this incident and this resident was already requested."
        return Outcome("duplicate", "Already requested", detail + " Nothing new was sent.")
    if started.reason is not None:
        sentence = REFUSALS.get(started.reason, "A send rule does not allow a survey now.")
        return Outcome("refused", "Not sent", sentence)
    if started.delivery == "sent":
        return Outcome("sent", "Sent", "The survey was texted to the resident.")
    if started.delivery == "opted_out":
        # The carrier reports the number replied STOP to us before (Twilio 21610).
        return Outcome("refused", "Not sent", REFUSALS["opted_out"])
    if started.delivery == "failed":
        detail = "The text provider did not accept the message; the request is recorded."
        return Outcome("failed", "Not delivered", detail)
    if started.delivery in ("paced", "retry"):
        detail = "The survey is queued and will be texted within minutes."
        return Outcome("queued", "Queued", detail)
    if started.scheduled_for is not None:
        when = _when(started.scheduled_for, zone)
        return Outcome("scheduled", "Scheduled", f"The survey will be texted {when}.")
    return Outcome("requested", "Requested", "The survey request is recorded.")


def _when(moment: datetime, zone: ZoneInfo) -> str:
    """Write a moment as the agency reads it: `at 17:00 on Mon 2 Nov (EST)`."""
    local = moment.astimezone(zone)
    return f"at {local:%H:%M} on {local:%a} {local.day} {local:%b} ({local.tzname()})"
