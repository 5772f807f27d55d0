"""Immutable data the send rules work on: the agency's policy, a respondent's history, decisions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from bot.scheduling.calltypes import (
    DEFAULT_EXCLUDED,
    excluded_type,
    normalise_aliases,
    normalise_call_type,
)

# Quiet hours must leave texts at least this much of the day, or the backlog never drains.
MIN_ALLOWED_MINUTES = 60
# 20:00-09:00, 9:00 - 17:30; an en dash too, as people (and the issue tracker) write it.
_WINDOW = re.compile(r"(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class QuietHours:
    """A window of local wall-clock time, [start, end), when no text goes out.

    start > end means the window crosses midnight (20:00-09:00); start == end is refused
    because it could mean either never or always quiet.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        for bound in (self.start, self.end):
            if bound.tzinfo is not None or bound.second or bound.microsecond:
                raise ValueError("quiet hours start and end on whole minutes of local time")
        if self.start == self.end:
            raise ValueError(f"quiet hours {self} start and end at the same minute")
        if self.allowed_minutes() < MIN_ALLOWED_MINUTES:
            raise ValueError(
                f"quiet hours {self} leave under {MIN_ALLOWED_MINUTES // 60} hour a day for texts"
            )

    def allowed_minutes(self) -> int:
        """Return how many minutes a day fall outside the window."""
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return (start - end) % (24 * 60)

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """Read a window written `HH:MM-HH:MM`; raise ValueError saying what is wrong."""
        found = _WINDOW.fullmatch(text.strip())
        if found is None:
            raise ValueError(f"quiet hours must look like 20:00-09:00, not {text!r}")
        hour, minute, end_hour, end_minute = (int(part) for part in found.groups())
        try:
            start, end = time(hour, minute), time(end_hour, end_minute)
        except ValueError as exc:
            raise ValueError(
                f"quiet hours {text.strip()!r} name a time that does not exist"
            ) from exc
        return cls(start, end)

    def covers(self, wall: time) -> bool:
        """Say whether a local wall-clock time falls inside the window."""
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class SendPolicy:
    """An agency's rules for when a survey may be sent; the defaults are the issue's.

    Call types are normalised on construction, so "Domestic Violence" and "DV" both match.
    """

    delay: timedelta = timedelta(hours=2)
    quiet_hours: QuietHours | None = QuietHours(time(20, 0), time(9, 0))
    # At most one survey per respondent within this span; zero switches the cap off.
    frequency_cap: timedelta = timedelta(days=30)
    # A survey that would go out later than this after its contact is pointless.
    stale_after: timedelta = timedelta(days=7)
    excluded_call_types: frozenset[str] = DEFAULT_EXCLUDED
    # The agency's own CAD codes: {"415D": "domestic_violence"}. Not hashed: a mapping.
    call_type_aliases: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    reminder_count: int = 1
    reminder_after: timedelta = timedelta(hours=24)
    expire_after: timedelta = timedelta(hours=72)
    # Where residents live whose number does not say: an IANA name, checked by load_policy.
    default_timezone: str = "America/New_York"

    def __post_init__(self) -> None:
        spans = (self.delay, self.frequency_cap, self.stale_after, self.reminder_after)
        if min(spans) < timedelta(0) or self.expire_after <= timedelta(0):
            raise ValueError("send policy durations must not be negative")
        if self.reminder_count < 0:
            raise ValueError("reminder_count must not be negative")
        aliases = normalise_aliases(self.call_type_aliases)
        excluded = frozenset(
            normalise_call_type(name, aliases) for name in self.excluded_call_types
        )
        # Frozen: normalising once here beats normalising on every decision.
        object.__setattr__(self, "call_type_aliases", aliases)
        object.__setattr__(self, "excluded_call_types", excluded)

    def excluded(self, call_type: str) -> str | None:
        """Return the excluded call type `call_type` names or contains, else None."""
        return excluded_type(call_type, self.excluded_call_types, self.call_type_aliases)

    @property
    def default_zone(self) -> ZoneInfo:
        """Return the agency's default time zone (zoneinfo caches it)."""
        return ZoneInfo(self.default_timezone)


@dataclass(frozen=True)
class RespondentHistory:
    """What the rules need to know about the resident a survey would go to."""

    opted_out: bool = False
    do_not_survey: bool = False
    last_survey_at: datetime | None = None


class RefusalReason(StrEnum):
    """Why a survey is not sent; stable values, stored and shown by the API."""

    EXCLUDED_CALL_TYPE = "excluded_call_type"
    OPTED_OUT = "opted_out"
    DO_NOT_SURVEY = "do_not_survey"
    STALE_CONTACT = "stale_contact"
    FREQUENCY_CAP = "frequency_cap"
    # Staff cancelled the survey (DELETE /api/v1/surveys/<id>, the officer page, the CLI).
    CANCELLED = "cancelled"
    # Every zone the number may be in, and the agency's, are never outside quiet hours at once.
    NO_ALLOWED_HOUR = "no_allowed_hour"


@dataclass(frozen=True)
class Send:
    """Send the survey at `at` (aware, UTC)."""

    at: datetime


@dataclass(frozen=True)
class Refuse:
    """Do not send the survey: a machine reason and a sentence for staff (no phone numbers)."""

    reason: RefusalReason
    explanation: str


Decision = Send | Refuse
