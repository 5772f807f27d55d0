"""Decide whether and when a survey may be texted: pure functions over injected time.

Nothing here reads a clock, a file or a database: the caller passes `now`, the respondent's
history and the agency's SendPolicy, so tests move time instead of sleeping.

The rules, in the order a refusal is reported (the first that applies wins):
1. excluded_call_type: the contact was a call after which a text could endanger someone;
2. opted_out: the resident texted STOP;
3. do_not_survey: the number is on the agency's do-not-survey list;
4. stale_contact: the survey would go out more than `stale_after` after the contact;
5. frequency_cap: the resident was surveyed less than `frequency_cap` before the send time.
Otherwise the survey goes out `delay` after the contact (or now, if that has passed), moved
out of quiet hours in every time zone the resident may be in (and the agency's). When those
zones share no allowed hour, the survey is refused (no_allowed_hour) after the first three
checks: never a text in anybody's night. The stale and frequency rules measure from that send
time, so deciding again at the send time gives the same answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.scheduling.calltypes import readable
from bot.scheduling.model import (
    Decision,
    QuietHours,
    RefusalReason,
    Refuse,
    RespondentHistory,
    Send,
    SendPolicy,
)

__all__ = [
    "Decision",
    "QuietHours",
    "RefusalReason",
    "Refuse",
    "RespondentHistory",
    "Send",
    "SendPolicy",
    "Zones",
    "decide_send",
    "expires_at",
    "next_allowed",
    "reminder_times",
]

_PROBE = timedelta(hours=1)
# Days searched for the next time the local clock shows a given time. One is enough but for
# zones that skipped a whole calendar day (Pacific/Apia on 2011-12-30).
_SEARCH_DAYS = 4
# How far ahead to look for a moment that is outside quiet hours in every zone at once: a week
# and a day sees every daily pattern, and the days when zones change their clocks apart.
_HORIZON = timedelta(days=8)

# One time zone, or every zone a resident may be in.
Zones = ZoneInfo | Sequence[ZoneInfo]


def decide_send(
    contact_at: datetime,
    now: datetime,
    call_type: str | None,
    history: RespondentHistory,
    policy: SendPolicy,
    tz: Zones,
) -> Decision:
    """Decide whether the survey about one contact is sent, and when."""
    contact = _utc(contact_at, "contact_at")
    earliest = max(contact + policy.delay, _utc(now, "now"))
    at = next_allowed(earliest, policy.quiet_hours, tz)
    proposal = _Proposal(contact, at or earliest, call_type, history, policy, at is not None)
    for check in _CHECKS:
        refusal = check(proposal)
        if refusal is not None:
            return refusal
    return Send(proposal.at)


def next_allowed(moment: datetime, quiet: QuietHours | None, tz: Zones) -> datetime | None:
    """Return the first instant at or after `moment` outside quiet hours in every zone, in UTC.

    None when no such instant comes within _HORIZON: the zones share no allowed hour.
    """
    start = _utc(moment, "moment")
    zones = (tz,) if isinstance(tz, ZoneInfo) else tuple(tz)
    candidate = start
    # Each zone is quiet from `candidate` until its own answer, so the latest answer is the
    # earliest instant that can suit them all; repeat until one does.
    while zones and candidate - start <= _HORIZON:
        later = max(_leave_quiet(candidate, quiet, zone) for zone in zones)
        if later == candidate:
            return candidate
        candidate = later
    return candidate if not zones else None


def _leave_quiet(start: datetime, quiet: QuietHours | None, tz: ZoneInfo) -> datetime:
    """Return the first instant at or after `start` outside quiet hours in one zone."""
    if quiet is None or not quiet.covers(_wall(start, tz)):
        return start
    # Leaving the window as the clock runs means reaching its end; the clock can also jump
    # out of it, over the end at a spring-forward gap or back before the start at a fold.
    crossing = _next_wall_time(start, quiet.end, tz)
    jumps = [t for t in _offset_changes(start, crossing, tz) if not quiet.covers(_wall(t, tz))]
    return min([crossing, *jumps])


def reminder_times(started_at: datetime, policy: SendPolicy, tz: Zones) -> list[datetime]:
    """Return when to remind a resident who has not replied since `started_at`, in UTC.

    Each reminder follows `reminder_after` of silence after the previous message, moved out of
    quiet hours; one that would go out at or after the conversation expires is dropped.
    """
    deadline = expires_at(started_at, policy)
    times: list[datetime] = []
    previous = _utc(started_at, "started_at")
    for _ in range(policy.reminder_count):
        allowed = next_allowed(previous + policy.reminder_after, policy.quiet_hours, tz)
        if allowed is None or allowed >= deadline:
            break
        times.append(allowed)
        previous = allowed
    return times


def expires_at(started_at: datetime, policy: SendPolicy) -> datetime:
    """Return when an unfinished conversation started at `started_at` expires, in UTC."""
    return _utc(started_at, "started_at") + policy.expire_after


@dataclass(frozen=True)
class _Proposal:
    """A survey about to be decided on: the contact, the planned send time, the facts."""

    contact: datetime
    at: datetime
    call_type: str | None
    history: RespondentHistory
    policy: SendPolicy
    # False when the resident's zones share no hour outside quiet hours (`at` is then moot).
    has_window: bool = True


def _excluded(proposal: _Proposal) -> Refuse | None:
    """Refuse a call type after which a text could endanger someone."""
    if proposal.call_type is None:
        return None
    found = proposal.policy.excluded(proposal.call_type)
    if found is None:
        return None
    return Refuse(RefusalReason.EXCLUDED_CALL_TYPE, f"{readable(found)} calls are never surveyed")


def _opted_out(proposal: _Proposal) -> Refuse | None:
    """Refuse a resident who texted STOP."""
    if not proposal.history.opted_out:
        return None
    return Refuse(RefusalReason.OPTED_OUT, "the resident has opted out of texts")


def _do_not_survey(proposal: _Proposal) -> Refuse | None:
    """Refuse a number on the agency's do-not-survey list."""
    if not proposal.history.do_not_survey:
        return None
    return Refuse(RefusalReason.DO_NOT_SURVEY, "the number is on the do-not-survey list")


def _no_window(proposal: _Proposal) -> Refuse | None:
    """Refuse a number whose possible zones are never all outside quiet hours at once."""
    if proposal.has_window:
        return None
    return Refuse(
        RefusalReason.NO_ALLOWED_HOUR,
        "the number may be in time zones that share no hour outside quiet hours",
    )


def _stale(proposal: _Proposal) -> Refuse | None:
    """Refuse a survey that would go out too long after its contact."""
    late = proposal.at - proposal.contact
    if late <= proposal.policy.stale_after:
        return None
    limit = _span(proposal.policy.stale_after)
    return Refuse(
        RefusalReason.STALE_CONTACT,
        f"the survey could go out only {_span(late)} after the contact, past the {limit} limit",
    )


def _frequency(proposal: _Proposal) -> Refuse | None:
    """Refuse a survey sooner after the last one than the cap allows."""
    cap, last = proposal.policy.frequency_cap, proposal.history.last_survey_at
    if last is None or not cap:
        return None
    last = _utc(last, "last_survey_at")
    if proposal.at >= last + cap:
        return None
    return Refuse(
        RefusalReason.FREQUENCY_CAP,
        f"last surveyed {last:%Y-%m-%d %H:%M} UTC; at most one survey every {_span(cap)}, "
        f"so not before {last + cap:%Y-%m-%d %H:%M} UTC",
    )


# In the order refusals are reported: safety first, then the resident's wishes, then timing.
_CHECKS: tuple[Callable[[_Proposal], Refuse | None], ...] = (
    _excluded,
    _opted_out,
    _do_not_survey,
    _no_window,
    _stale,
    _frequency,
)


def _utc(value: datetime, name: str) -> datetime:
    """Return an aware datetime in UTC; refuse a naive one, whose zone is anyone's guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not {value!r}")
    return value.astimezone(UTC)


def _wall(instant: datetime, tz: ZoneInfo) -> time:
    """Return what the local clock in `tz` shows at `instant`."""
    return instant.astimezone(tz).time()


def _offset(instant: datetime, tz: ZoneInfo) -> timedelta | None:
    """Return the UTC offset in force in `tz` at `instant`."""
    return instant.astimezone(tz).utcoffset()


def _next_wall_time(after: datetime, wall: time, tz: ZoneInfo) -> datetime:
    """Return the first instant at or after `after` when the clock in `tz` shows `wall`."""
    first_day = after.astimezone(tz).date()
    for days in range(_SEARCH_DAYS):
        for instant in _instants_at(first_day + timedelta(days=days), wall, tz):
            if instant >= after:
                return instant
    raise ValueError(f"the clock in {tz.key} does not show {wall} within {_SEARCH_DAYS} days")


def _instants_at(day: date, wall: time, tz: ZoneInfo) -> list[datetime]:
    """List the instants (none in a gap, two in a fold) when the clock shows `day` `wall`."""
    naive = datetime.combine(day, wall)
    tried = sorted({naive.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1)})
    # In a gap zoneinfo still answers, with a time the clock never shows: keep real ones.
    return [t for t in tried if t.astimezone(tz).replace(tzinfo=None) == naive]


def _offset_changes(start: datetime, until: datetime, tz: ZoneInfo) -> list[datetime]:
    """List the instants in (start, until] when `tz` changes its UTC offset."""
    changes: list[datetime] = []
    probe = start
    # Offsets change hours or months apart, so an hourly probe sees each change.
    while probe < until:
        step = min(probe + _PROBE, until)
        if _offset(probe, tz) != _offset(step, tz):
            changes.append(_change_between(probe, step, tz))
        probe = step
    return changes


def _change_between(before: datetime, after: datetime, tz: ZoneInfo) -> datetime:
    """Find, to the second, when the offset in force at `before` gives way to another."""
    old = _offset(before, tz)
    # Zones change offset on whole seconds: search whole seconds since the epoch.
    low, high = math.floor(before.timestamp()), math.ceil(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(datetime.fromtimestamp(middle, UTC), tz) == old:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def _span(delta: timedelta) -> str:
    """Write a duration for people: "30 days", "2 hours 30 minutes"."""
    minutes = int(delta.total_seconds() // 60)
    parts = (("day", minutes // 1440), ("hour", minutes // 60 % 24), ("minute", minutes % 60))
    words = [f"{count} {unit}{'s' if count != 1 else ''}" for unit, count in parts if count]
    return " ".join(words) or "less than a minute"
