"""The results dashboard's real queries (storage/queries/results.py), named for the harness.

Each entry runs one function of the dashboard's read side in the session the harness hands it,
with the filters a supervisor or an admin sets: the last 30 days or the whole two years, one
unit, one officer, a language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from bench.seed_results import NOW
from storage.queries import results

Timed = Callable[[Session], int]
# post_contact's questions with a numeric or categorical answer, as the dashboard charts them.
QUESTIONS = ("listened", "respect", "explained", "overall", "what_wrong", "trust")
SCORES = ("respect", "explained", "overall", "trust")
UNIT, OFFICER = "precinct-03", "officer-042"


def _window(days: int, **narrower: Any) -> results.ResultsFilter:
    """Return a filter for the last `days` days before the seeded NOW, narrowed as asked."""
    return results.ResultsFilter(since=NOW - timedelta(days=days), until=NOW, **narrower)


def _one(fn: Callable[[Session], object]) -> Timed:
    """Time a query that returns one figure (a funnel): one row."""

    def run(session: Session) -> int:
        fn(session)
        return 1

    return run


def _many(fn: Callable[[Session], list[Any]]) -> Timed:
    """Time a query that returns rows: count them."""
    return lambda session: len(fn(session))


def _funnels() -> dict[str, Timed]:
    """The funnel and the refusals, over a month, two years, one unit."""
    month, both = _window(30), _window(730)
    unit = replace(month, unit=UNIT)
    return {
        "funnel 30 days": _one(lambda s: results.funnel(s, month)),
        "funnel 30 days, one unit": _one(lambda s: results.funnel(s, unit)),
        "funnel 2 years": _one(lambda s: results.funnel(s, both)),
        "refusals by reason 2 years": _many(lambda s: results.refusals(s, both)),
    }


def _answers() -> dict[str, Timed]:
    """Each question's distribution and trend, by week and by month."""
    month, quarter, both = _window(30), _window(90), _window(730)
    return {
        "answers per month, 30 days": _many(
            lambda s: results.answer_counts(s, month, QUESTIONS, "month")
        ),
        "answers per week, 90 days": _many(
            lambda s: results.answer_counts(s, quarter, QUESTIONS, "week")
        ),
        "answers per month, 2 years": _many(
            lambda s: results.answer_counts(s, both, QUESTIONS, "month")
        ),
        "answers per week, 90 days, one officer": _many(
            lambda s: results.answer_counts(
                s, replace(quarter, officer_id=OFFICER), QUESTIONS, "week"
            )
        ),
    }


def _breakdown(where: results.ResultsFilter, dimension: str, session: Session) -> list[Any]:
    """Run one breakdown."""
    return results.breakdown(session, where, dimension)


def _breakdowns() -> dict[str, Timed]:
    """The funnel's core and the mean scores per unit, officer, call type, language, channel."""
    month, year = _window(30), _window(365)
    unit = replace(year, unit=UNIT)
    found: dict[str, Timed] = {}
    for dimension in results.DIMENSIONS:
        found[f"by {dimension}, 30 days"] = _many(partial(_breakdown, month, dimension))
    found["by officer, 1 year"] = _many(lambda s: results.breakdown(s, year, "officer"))
    found["by call type, one unit, 1 year"] = _many(
        lambda s: results.breakdown(s, unit, "call_type")
    )
    found["by language, one unit, es, 30 days"] = _many(
        lambda s: results.breakdown(s, replace(month, unit=UNIT, language="es"), "language")
    )
    found["scores by officer, 30 days"] = _many(
        lambda s: results.score_means(s, month, "officer", SCORES)
    )
    found["scores by unit, 1 year"] = _many(lambda s: results.score_means(s, year, "unit", SCORES))
    found["flow versions, 2 years"] = _many(lambda s: results.flow_versions(s, _window(730)))
    return found


def _comments() -> dict[str, Timed]:
    """The comments page, newest first: the first page and a later one, for a unit."""
    month, both = _window(30), _window(730)
    return {
        "comments page 1, 30 days": _many(
            lambda s: list(results.comments(s, month, 1, 50).comments)
        ),
        "comments page 20, 2 years": _many(
            lambda s: list(results.comments(s, both, 20, 50).comments)
        ),
        "comments page 1, one unit, 30 days": _many(
            lambda s: list(results.comments(s, replace(month, unit=UNIT), 1, 50).comments)
        ),
        "comments page 1, es, 2 years": _many(
            lambda s: list(results.comments(s, replace(both, language="es"), 1, 50).comments)
        ),
    }


def dashboard_queries() -> dict[str, Timed]:
    """Name every timed query of the results dashboard."""
    return {**_funnels(), **_answers(), **_breakdowns(), **_comments()}
