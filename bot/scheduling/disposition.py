"""Dispositions: how a survey ended, in the categories survey researchers report (AAPOR).

complete     the resident reached the end of the flow;
partial      the survey closed unfinished with at least half of its questions answered;
breakoff     the resident answered something, but less than half;
no_response  the survey closed with nothing answered;
refused      a rule or the resident's do-not-survey request stopped it before or during;
opted_out    the resident texted STOP;
undeliverable the first text never reached the resident (an invalid number, a provider
             failure on every attempt): a non-contact, not a refusal.
"""

from __future__ import annotations

from enum import StrEnum


class Disposition(StrEnum):
    """How a survey ended; stable values, stored and shown by the API."""

    COMPLETE = "complete"
    PARTIAL = "partial"
    BREAKOFF = "breakoff"
    NO_RESPONSE = "no_response"
    REFUSED = "refused"
    OPTED_OUT = "opted_out"
    UNDELIVERABLE = "undeliverable"


# At least this share of the questions answered makes an unfinished survey a partial.
PARTIAL_SHARE = 0.5


def unfinished(answered: int, questions: int) -> Disposition:
    """Classify a survey that closed before its end by how much of it was answered."""
    if answered <= 0:
        return Disposition.NO_RESPONSE
    if questions > 0 and answered / questions >= PARTIAL_SHARE:
        return Disposition.PARTIAL
    return Disposition.BREAKOFF
