"""The transparency page's and officer feedback's real queries, named for the harness.

Both whole pages are timed as their services build them (bot/services/transparency.py and
officer_feedback.py, every statement they run, without the web layer's per-process cache),
and each query of storage/queries/public.py on its own, with the seeded NOW as today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from bench.seed_results import NOW
from bot.flows.files import load_flows
from bot.services import officer_feedback, transparency
from storage.db import make_session_factory
from storage.queries import SqlAlchemyPublicQueries

Timed = Callable[[Session], int]
FLOWS = load_flows(Path(__file__).resolve().parent.parent / "flows")
K, DELAY_DAYS = 5, 7
# The seeded officers have from 2,400 to 17,000 contacts over the two years (seed_sql skews them).
OFFICERS = {"a busy officer": "officer-000", "a quiet officer": "officer-299"}
SCORES = [(q.flow_id, q.question_id) for q in transparency.score_questions(FLOWS.values())]
TEXTS = [("post_contact", "comment")]


def _queries(session: Session) -> SqlAlchemyPublicQueries:
    """Open the public read side on the harness's database (it runs its own sessions)."""
    return SqlAlchemyPublicQueries(make_session_factory(session.get_bind()))  # type: ignore[arg-type]


def _page(session: Session) -> int:
    """Build the transparency page; count its district rows."""
    page = transparency.build(_queries(session), FLOWS.values(), K, NOW)
    return len(page.by_district.rows)


def _feedback(officer_id: str) -> Timed:
    """Build one officer's feedback; count the questions it shows."""

    def run(session: Session) -> int:
        shown = officer_feedback.feedback(
            _queries(session), FLOWS.values(), officer_id, K, DELAY_DAYS, NOW
        )
        return len(shown.questions)

    return run


def public_queries() -> dict[str, Timed]:
    """Name every timed query of the transparency page and officer feedback."""
    since, until, _months = transparency.month_window(NOW)
    busy = OFFICERS["a busy officer"]
    passed = NOW - timedelta(days=DELAY_DAYS)
    return {
        "transparency page (whole build)": _page,
        "public: completed by unit, 12 months": lambda s: len(
            _queries(s).completed("unit", since, until)
        ),
        "public: completed by language, 12 months": lambda s: len(
            _queries(s).completed("language", since, until)
        ),
        "public: score answers by unit, 12 months": lambda s: len(
            _queries(s).values_by_unit(SCORES, since, until)
        ),
        **{f"officer feedback, {who} (whole build)": _feedback(o) for who, o in OFFICERS.items()},
        "officer: surveys per day, busy officer": lambda s: len(
            _queries(s).officer_days(busy, passed)
        ),
        "officer: score answers, busy officer": lambda s: len(
            _queries(s).values(SCORES, passed, busy)
        ),
        "officer: the agency's score answers": lambda s: len(_queries(s).values(SCORES, passed)),
        "officer: newest comments, busy officer": lambda s: len(
            _queries(s).comments(busy, TEXTS, passed, 20)[1]
        ),
    }
