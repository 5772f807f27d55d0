"""The public read side against hand-computed figures, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask

from bot.services.officer_feedback import feedback
from bot.services.suppression import suppress
from bot.services.transparency import build
from tests.public_results import store_survey

K = 3
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def at(month: int, day: int = 10, hour: int = 12) -> datetime:
    """Return a moment in 2026."""
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture()
def site(make_app: Callable[..., Flask], own_database_url: str) -> Flask:
    """An app on a database of its own: SQLite, then PostgreSQL."""
    return make_app(own_database_url)


def test_counts_and_means_per_district_and_month(site: Flask) -> None:
    # (district, month, overall scores): hand-computed below.
    given = [
        ("North", 8, [5, 4, 3, 4]),
        ("East", 8, [2, 2, 2, 2, 2]),
        ("North", 9, [5, 5, 5]),
        ("East", 9, [4, 4, 4]),
        ("North", 10, [3, 3, 3]),
        ("East", 10, [1, 1, 1, 1]),
    ]
    for unit, month, scores in given:
        for score in scores:
            store_survey(site, at(month), {"overall": score}, unit=unit)
    # South, October, one survey, at 23:00 UTC on the 31st: still October.
    store_survey(site, at(10, 31, 23), {"overall": 1}, unit="South", language="es")
    # Not counted: this month (not ended), an expired survey, one from before the window.
    store_survey(site, at(11, 1, 0), {"overall": 5})
    store_survey(site, at(9), {"overall": 5}, status="expired")
    store_survey(site, datetime(2025, 10, 31, 23, tzinfo=UTC), {"overall": 5})
    rt = site.extensions["parley.runtime"]

    report = build(rt.public, rt.flows.values(), K, NOW)

    assert report.months[0] == "2025-11" and report.months[-1] == "2026-10"
    table = report.by_district
    assert table.rows == ("East", "North", "South")
    aug, sep, oct_ = (report.months.index(f"2026-{m:02d}") for m in (8, 9, 10))
    assert [table.counts.cells[r][c] for r in range(3) for c in (aug, sep, oct_)] == [
        5, 3, 4,
        4, 3, 3,
        0, 0, 1,
    ]  # fmt: skip
    assert table.counts.row_totals == (12, 10, 1) and table.counts.total == 23
    # South's 1 (and its total) are under K; October's column then gives up its smallest
    # other cell (North's 3), and the totals column its smallest other total (North's 10).
    months = len(report.months)
    assert table.counts.hidden == {(1, oct_), (2, oct_), (1, months), (2, months)}
    assert table.counts.hidden == suppress(table.counts.cells, K).hidden
    assert table.count(0, aug) == 5 and table.count(2, oct_) is None
    overall = {q.question_id: t for q, t in report.scores}["overall"]
    assert overall.mean(1, aug) == 4.0
    assert overall.mean(3, aug) == round(26 / 9, 1)  # August, every district
    assert overall.mean(1, sep) == 5.0
    assert overall.mean(1, oct_) is None  # hidden with its count
    assert report.by_language.rows == ("en", "es")
    assert report.by_language.counts.row_totals == (22, 1)


def test_officer_feedback_counts_only_their_delayed_surveys(site: Flask) -> None:
    for score in (5, 5, 4):
        store_survey(site, at(10, 1), {"overall": score, "listened": True}, comment=f"good {score}")
    store_survey(site, at(10, 1), {"overall": 1}, officer_id="B-200", comment="other officer")
    # Completed 6 days ago: within the 7-day delay, not counted yet.
    store_survey(site, at(10, 27), {"overall": 1}, comment="too recent")
    rt = site.extensions["parley.runtime"]

    shown = feedback(rt.public, rt.flows.values(), "B-100", K, 7, NOW)

    assert shown.responses == 3
    overall = next(q for q in shown.questions if q.question_id == "overall")
    assert overall.mine is not None and dict(overall.mine.counts) == {5: 2, 4: 1}
    assert overall.mine.mean == 4.7
    assert dict(overall.agency.counts) == {5: 2, 4: 1, 1: 1}
    assert shown.comments is not None
    assert [c.text for c in shown.comments] == ["good 4", "good 5", "good 5"]
    listened = next(q for q in shown.questions if q.question_id == "listened")
    assert listened.mine is not None and listened.mine.share(True) == 1.0
