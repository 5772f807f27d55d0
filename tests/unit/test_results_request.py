"""Reading a results dashboard request: defaults, the supervisor's forced unit, bad filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.results import (
    FilterError,
    ResultsForbiddenError,
    Viewer,
    read_request,
)

ZONE = ZoneInfo("America/New_York")
TODAY = date(2026, 12, 6)
ADMIN = Viewer("admin", None)


def test_the_default_is_the_last_30_days_in_the_agency_zone() -> None:
    asked = read_request({}, ADMIN, TODAY, ZONE)
    assert (asked.first_day, asked.last_day) == (date(2026, 11, 7), TODAY)
    # Midnight in New York (EST) is 05:00 UTC; the range ends as the day after today begins.
    assert asked.where.since == datetime(2026, 11, 7, 5, tzinfo=UTC)
    assert asked.where.until == datetime(2026, 12, 7, 5, tzinfo=UTC)
    assert (asked.bucket, asked.dimension, asked.page) == ("week", "unit", 1)
    assert asked.where.unit is None


def test_a_supervisor_reads_their_unit_whatever_they_ask() -> None:
    asked = read_request({"unit": "south"}, Viewer("supervisor", "north"), TODAY, ZONE)
    assert asked.where.unit == "north" and asked.shown["unit"] == "north"
    assert read_request({"unit": "south"}, ADMIN, TODAY, ZONE).where.unit == "south"


@pytest.mark.parametrize("viewer", [Viewer("officer", "north"), Viewer("supervisor", None)])
def test_officers_and_supervisors_without_a_unit_may_not_read(viewer: Viewer) -> None:
    with pytest.raises(ResultsForbiddenError):
        read_request({}, viewer, TODAY, ZONE)


def test_every_bad_filter_is_named_at_once() -> None:
    args = {"since": "2026-02-30", "version": "3", "by": "x", "bucket": "day", "page": "²"}
    with pytest.raises(FilterError) as raised:
        read_request(args, ADMIN, TODAY, ZONE)
    assert set(raised.value.errors) == {"since", "version", "by", "bucket", "page"}


def test_filters_set_only_what_they_name() -> None:
    args = {"officer": " B7 ", "flow": "post_contact", "version": "2", "language": ""}
    where = read_request(args, ADMIN, TODAY, ZONE).where
    assert (where.officer_id, where.flow_id, where.flow_version) == ("B7", "post_contact", 2)
    assert where.language is None and where.call_type is None
