"""Who may read which results, and what a dashboard request asks for (checked, never trusted).

A supervisor reads their own unit only: it is forced from their account, whatever the query
string says. Admins read every unit and may pick one. Each filter is checked here: a bad one
is a `FilterError` naming the field and the reason (a 400 or a form error, never a 500).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.queries.results import BUCKETS, DIMENSIONS, ResultsFilter

DEFAULT_DAYS = 30
# Longer ranges are allowed, but not years: a typo like 0226 would read the whole table.
MAX_DAYS = 366 * 5
MAX_PAGE = 10_000
MAX_TEXT = 64
# The filters a request may set, each a short text (dates and numbers are checked apart).
TEXT_FILTERS = ("unit", "officer", "call_type", "language", "channel", "flow")


class ResultsForbiddenError(PermissionError):
    """The signed-in person may not read results (the message says why)."""


class FilterError(ValueError):
    """Filters that cannot be used, each with its reason, keyed by the form's field name."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in self.errors.items()))


@dataclass(frozen=True)
class Viewer:
    """Who reads the results: their role and, for a supervisor, their unit."""

    role: str
    unit: str | None


@dataclass(frozen=True)
class ResultsRequest:
    """A checked dashboard request: which surveys, how to bucket and break them down."""

    where: ResultsFilter
    first_day: date
    last_day: date
    bucket: str
    dimension: str
    page: int
    # The filters as the form shows them again (the forced unit included).
    shown: Mapping[str, str]


def forced_unit(viewer: Viewer) -> str | None:
    """Return the unit a viewer is limited to (None: every unit); refuse other roles."""
    if viewer.role == "admin":
        return None
    if viewer.role != "supervisor":
        raise ResultsForbiddenError("Results are for supervisors and admins.")
    if not viewer.unit:
        raise ResultsForbiddenError("Your account has no unit: ask an admin to set it.")
    return viewer.unit


def read_request(
    args: Mapping[str, str], viewer: Viewer, today: date, zone: ZoneInfo
) -> ResultsRequest:
    """Check a dashboard request's filters for `viewer`; FilterError for any bad one."""
    unit = forced_unit(viewer)
    errors: dict[str, str] = {}
    texts = {name: _text(args, name, errors) for name in TEXT_FILTERS}
    if unit is not None:
        texts["unit"] = unit
    first, last = _days(args, today, errors)
    version = _whole(args, "version", 1, 1_000_000, errors)
    if version is not None and not texts["flow"]:
        errors["version"] = "Pick a flow to pick one of its versions."
    bucket = _one_of(args, "bucket", BUCKETS, errors)
    dimension = _one_of(args, "by", DIMENSIONS, errors)
    page = _whole(args, "page", 1, MAX_PAGE, errors) or 1
    if errors:
        raise FilterError(errors)
    where = _filter(texts, _start_of(first, zone), _start_of(last + timedelta(days=1), zone))
    where = replace(where, flow_version=version)
    shown = {**texts, "since": first.isoformat(), "until": last.isoformat()}
    shown |= {"version": str(version or ""), "bucket": bucket, "by": dimension}
    return ResultsRequest(where, first, last, bucket, dimension, page, shown)


def _filter(texts: Mapping[str, str], since: datetime, until: datetime) -> ResultsFilter:
    """Return the filter the checked texts set (an empty text sets nothing)."""
    return ResultsFilter(
        since=since,
        until=until,
        unit=texts["unit"] or None,
        officer_id=texts["officer"] or None,
        call_type=texts["call_type"] or None,
        language=texts["language"] or None,
        channel=texts["channel"] or None,
        flow_id=texts["flow"] or None,
    )


def _text(args: Mapping[str, str], name: str, errors: dict[str, str]) -> str:
    """Return a text filter, trimmed ("" when left out); too long is an error."""
    value = (args.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        errors[name] = f"Use at most {MAX_TEXT} characters."
    # PostgreSQL refuses a NUL in text, and no unit or officer holds a control character.
    elif any(ord(c) < 32 or ord(c) == 127 for c in value):
        errors[name] = "Remove the control characters."
    return value[:MAX_TEXT]


def _days(args: Mapping[str, str], today: date, errors: dict[str, str]) -> tuple[date, date]:
    """Return the first and last day of the range (the last 30 days unless given)."""
    last = _day(args, "until", errors) or today
    first = _day(args, "since", errors) or last - timedelta(days=DEFAULT_DAYS - 1)
    if "since" in errors or "until" in errors:
        return first, last
    if last < first:
        errors["until"] = "Pick a last day on or after the first day."
    elif (last - first).days >= MAX_DAYS:
        errors["since"] = "Pick a range of at most five years."
    return first, last


def _day(args: Mapping[str, str], name: str, errors: dict[str, str]) -> date | None:
    """Return a day written YYYY-MM-DD, None when left out; an error otherwise."""
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = "Enter a date as YYYY-MM-DD, for example 2026-11-30."
        return None


def _whole(
    args: Mapping[str, str], name: str, low: int, high: int, errors: dict[str, str]
) -> int | None:
    """Return a whole number from `low` to `high`, None when left out; an error otherwise."""
    value = (args.get(name) or "").strip()
    if not value:
        return None
    # isdecimal, not isdigit: int() refuses "²"; the length check spares int() a huge number.
    if not (value.isdecimal() and len(value) <= 7 and low <= int(value) <= high):
        errors[name] = f"Enter a whole number from {low} to {high}."
        return None
    return int(value)


def _one_of(
    args: Mapping[str, str], name: str, allowed: tuple[str, ...], errors: dict[str, str]
) -> str:
    """Return one of `allowed` (the first when left out); anything else is an error."""
    value = (args.get(name) or "").strip() or allowed[0]
    if value not in allowed:
        errors[name] = f"Pick one of: {', '.join(allowed)}."
        return allowed[0]
    return value


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    """Return the moment a day begins in the agency's time zone."""
    return datetime.combine(day, time(), tzinfo=zone)
