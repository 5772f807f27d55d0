"""Quiet hours: the window, and the next allowed minute across zones and DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.rules import QuietHours, next_allowed
from tests.unit.scheduling_fixtures import HONOLULU, LA, MANILA, MINUTE, NIGHT, NY, ZONES, at, shown

# --- quiet hours: the window itself ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("20:00-09:00", time(20), time(9)),
        ("20:00 - 09:00", time(20), time(9)),
        ("20:00–09:00", time(20), time(9)),
        (" 9:00-17:30 ", time(9), time(17, 30)),
        ("00:00-22:59", time(0), time(22, 59)),
    ],
)
def test_quiet_hours_parse(text: str, start: time, end: time) -> None:
    quiet = QuietHours.parse(text)
    assert (quiet.start, quiet.end) == (start, end)
    assert QuietHours.parse(str(quiet)) == quiet


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("8pm-9am", "must look like 20:00-09:00"),
        ("20:00", "must look like"),
        ("", "must look like"),
        ("20:00-09:00-10:00", "must look like"),
        ("24:00-09:00", "does not exist"),
        ("20:60-09:00", "does not exist"),
        ("09:00-09:00", "same minute"),
    ],
)
def test_quiet_hours_parse_refuses(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        QuietHours.parse(text)


def test_quiet_hours_are_whole_minutes_of_wall_time() -> None:
    with pytest.raises(ValueError, match="whole minutes"):
        QuietHours(time(20, 0, 30), time(9))
    with pytest.raises(ValueError, match="whole minutes"):
        QuietHours(time(20, tzinfo=UTC), time(9))


@pytest.mark.parametrize(
    ("wall", "quiet"),
    [
        (time(19, 59, 59, 999999), False),
        (time(20, 0), True),
        (time(23, 59, 59), True),
        (time(0, 0), True),
        (time(8, 59, 59), True),
        (time(9, 0), False),
        (time(12, 0), False),
    ],
)
def test_a_window_across_midnight_covers_its_start_not_its_end(wall: time, quiet: bool) -> None:
    assert NIGHT.covers(wall) is quiet


@pytest.mark.parametrize(
    ("wall", "quiet"),
    [(time(11, 59), False), (time(12, 0), True), (time(12, 59), True), (time(13, 0), False)],
)
def test_a_daytime_window_covers_its_start_not_its_end(wall: time, quiet: bool) -> None:
    assert QuietHours(time(12), time(13)).covers(wall) is quiet


# --- next_allowed: edges in four zones --------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES, ids=lambda tz: tz.key)
@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        ("2024-07-01 19:59", "2024-07-01 19:59"),
        ("2024-07-01 19:59:59.999999", "2024-07-01 19:59:59.999999"),
        ("2024-07-01 20:00", "2024-07-02 09:00"),
        ("2024-07-01 23:59:59", "2024-07-02 09:00"),
        ("2024-07-02 00:00", "2024-07-02 09:00"),
        ("2024-07-02 08:59", "2024-07-02 09:00"),
        ("2024-07-02 08:59:59", "2024-07-02 09:00"),
        ("2024-07-02 09:00", "2024-07-02 09:00"),
        ("2024-07-02 12:00", "2024-07-02 12:00"),
    ],
)
def test_quiet_hour_edges_in_each_zone(tz: ZoneInfo, moment: str, allowed: str) -> None:
    result = next_allowed(at(tz, moment), NIGHT, tz)
    assert result == at(tz, allowed)
    assert result.tzinfo is UTC


def test_one_instant_is_quiet_for_some_residents_and_not_others() -> None:
    moment = datetime(2024, 7, 2, 0, 30, tzinfo=UTC)  # 20:30 NY, 17:30 LA, 14:30 HI, 08:30 MNL
    assert next_allowed(moment, NIGHT, NY) == at(NY, "2024-07-02 09:00")
    assert next_allowed(moment, NIGHT, LA) == moment
    assert next_allowed(moment, NIGHT, HONOLULU) == moment
    assert next_allowed(moment, NIGHT, MANILA) == at(MANILA, "2024-07-02 09:00")


def test_the_moment_may_be_given_in_any_zone() -> None:
    in_tokyo = at(NY, "2024-07-01 22:00").astimezone(ZoneInfo("Asia/Tokyo"))
    assert next_allowed(in_tokyo, NIGHT, NY) == at(NY, "2024-07-02 09:00")


def test_quiet_hours_switched_off_allow_any_time() -> None:
    moment = at(NY, "2024-07-02 03:00")
    assert next_allowed(moment, None, NY) == moment
    assert next_allowed(moment, None, NY).tzinfo is UTC


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        ("2024-07-02 11:59", "2024-07-02 11:59"),
        ("2024-07-02 12:00", "2024-07-02 13:00"),
        ("2024-07-02 12:59", "2024-07-02 13:00"),
        ("2024-07-02 13:00", "2024-07-02 13:00"),
        ("2024-07-02 23:30", "2024-07-02 23:30"),
        ("2024-07-02 03:00", "2024-07-02 03:00"),
    ],
)
def test_a_window_that_does_not_cross_midnight(moment: str, allowed: str) -> None:
    lunch = QuietHours(time(12), time(13))
    assert next_allowed(at(LA, moment), lunch, LA) == at(LA, allowed)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_allowed(datetime(2024, 7, 2, 3, 0), NIGHT, NY)


# --- next_allowed across daylight-saving changes --------------------------------------------
# US 2024: clocks spring forward on 10 March at 02:00 (02:00-02:59 never shows) and fall back
# on 3 November at 02:00 (01:00-01:59 shows twice: EDT, then EST).


@pytest.mark.parametrize("tz", [NY, LA], ids=lambda tz: tz.key)
def test_the_night_of_spring_forward_is_an_hour_shorter(tz: ZoneInfo) -> None:
    evening = at(tz, "2024-03-09 20:00")
    result = next_allowed(evening, NIGHT, tz)
    assert shown(result, tz)[:16] == "2024-03-10 09:00"
    assert result - evening == timedelta(hours=12)


@pytest.mark.parametrize("tz", [NY, LA], ids=lambda tz: tz.key)
def test_the_night_of_fall_back_is_an_hour_longer(tz: ZoneInfo) -> None:
    evening = at(tz, "2024-11-02 20:00")
    result = next_allowed(evening, NIGHT, tz)
    assert shown(result, tz)[:16] == "2024-11-03 09:00"
    assert result - evening == timedelta(hours=14)


def test_a_window_ending_in_the_spring_gap_ends_when_the_clock_jumps() -> None:
    # 02:30 never shows on 10 March: the clock goes from 01:59:59 EST to 03:00 EDT.
    quiet = QuietHours.parse("23:00-02:30")
    result = next_allowed(at(NY, "2024-03-10 01:30"), quiet, NY)
    assert shown(result, NY) == "2024-03-10 03:00:00-0400"
    assert result == datetime(2024, 3, 10, 7, 0, tzinfo=UTC)


def test_a_window_starting_in_the_spring_gap_starts_when_the_clock_jumps() -> None:
    quiet = QuietHours.parse("02:30-06:00")
    before = at(NY, "2024-03-10 01:59:59")
    assert next_allowed(before, quiet, NY) == before
    jump = datetime(2024, 3, 10, 7, 0, tzinfo=UTC)  # 03:00 EDT, inside the window
    assert shown(next_allowed(jump, quiet, NY), NY) == "2024-03-10 06:00:00-0400"


def test_a_window_ending_in_the_fold_ends_the_first_time_the_clock_shows_its_end() -> None:
    quiet = QuietHours.parse("20:00-01:30")
    first_pass = at(NY, "2024-11-03 01:15", fold=0)
    assert shown(next_allowed(first_pass, quiet, NY), NY) == "2024-11-03 01:30:00-0400"


def test_in_the_second_pass_of_the_fold_the_window_ends_at_the_second_showing() -> None:
    quiet = QuietHours.parse("20:00-01:30")
    second_pass = at(NY, "2024-11-03 01:15", fold=1)
    assert shown(next_allowed(second_pass, quiet, NY), NY) == "2024-11-03 01:30:00-0500"


def test_the_clock_falling_back_out_of_a_window_allows_sending() -> None:
    # Quiet from 01:30: at 02:00 EDT the clock shows 01:00 EST, outside the window again.
    quiet = QuietHours.parse("01:30-05:00")
    result = next_allowed(at(NY, "2024-11-03 01:45", fold=0), quiet, NY)
    assert shown(result, NY) == "2024-11-03 01:00:00-0500"
    assert next_allowed(at(NY, "2024-11-03 01:29", fold=1), quiet, NY) == at(
        NY, "2024-11-03 01:29", fold=1
    )
    later = next_allowed(at(NY, "2024-11-03 01:30", fold=1), quiet, NY)
    assert shown(later, NY) == "2024-11-03 05:00:00-0500"


@pytest.mark.parametrize("day", ["2024-03-10", "2024-11-03"])
def test_zones_without_daylight_saving_ignore_the_us_changes(day: str) -> None:
    evening = at(HONOLULU, f"{day} 20:00")
    assert next_allowed(evening, NIGHT, HONOLULU) - evening == timedelta(hours=13)


def test_a_calendar_day_the_zone_skipped_is_stepped_over() -> None:
    # Samoa skipped 30 December 2011 when it moved across the date line.
    apia = ZoneInfo("Pacific/Apia")
    result = next_allowed(at(apia, "2011-12-29 22:00"), NIGHT, apia)
    assert shown(result, apia)[:16] == "2011-12-31 09:00"


def _first_allowed_by_minutes(moment: datetime, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """Step one minute at a time until the resident's clock is outside the window."""
    step = moment
    while quiet.covers(step.astimezone(tz).time()):
        step += MINUTE
    return step


@pytest.mark.parametrize("tz", [NY, LA], ids=lambda tz: tz.key)
@pytest.mark.parametrize(
    "window", ["20:00-09:00", "23:00-02:30", "02:30-06:00", "20:00-01:30", "01:30-05:00"]
)
@pytest.mark.parametrize("day", ["2024-03-09", "2024-11-02"])
def test_next_allowed_agrees_with_stepping_minute_by_minute(
    tz: ZoneInfo, window: str, day: str
) -> None:
    quiet = QuietHours.parse(window)
    start = at(tz, f"{day} 12:00")
    for moment in (start + timedelta(minutes=17 * n) for n in range(150)):
        assert next_allowed(moment, quiet, tz) == _first_allowed_by_minutes(moment, quiet, tz), (
            shown(moment, tz)
        )


def test_quiet_hours_must_leave_an_hour_a_day_for_texts() -> None:
    from bot.scheduling.model import QuietHours

    with pytest.raises(ValueError, match="under 1 hour a day"):
        QuietHours.parse("00:00-23:59")
    assert QuietHours.parse("23:30-22:30").allowed_minutes() == 60
