"""Stand-ins for the results dashboard's queries, timed until storage/queries/results.py lands.

Each is plain SQL of the shape the dashboard needs (issue 12): the funnel with COUNT(*) FILTER,
each question's distribution through the answers, trends by date_trunc, breakdowns and the
comments page newest first. bench/dashboard.py times them and finds the indexes they need; the
dashboard's own functions replace them in its registry once they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bench.seed_results import NOW

Timed = Callable[[Session], int]

# Conversations created in [since, until); the "sent" ones left the building, the delivered
# ones have a text the provider reported delivered (or read).
_FUNNEL = """
SELECT count(*) AS triggered,
  count(*) FILTER (WHERE c.status = 'refused') AS refused,
  count(*) FILTER (WHERE c.status NOT IN ('refused', 'scheduled')) AS sent,
  count(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM messages AS m WHERE m.conversation_id = c.id AND m.direction = 'out'
      AND m.status IN ('delivered', 'read'))) AS delivered,
  count(*) FILTER (WHERE c.started_at IS NOT NULL) AS started,
  count(*) FILTER (WHERE c.status = 'completed') AS completed,
  count(*) FILTER (WHERE c.status = 'expired') AS expired,
  count(*) FILTER (WHERE c.status = 'opted_out') AS opted_out
FROM conversations AS c
WHERE c.created_at >= :since AND c.created_at < :until
"""

_REFUSALS = """
SELECT c.refusal_reason, count(*) FROM conversations AS c
WHERE c.status = 'refused' AND c.created_at >= :since AND c.created_at < :until
GROUP BY c.refusal_reason
"""

# json has no equality: values are grouped by their text (1, true, "disrespect").
_DISTRIBUTION = """
SELECT a.question_id, a.value::text AS value, count(*)
FROM answers AS a JOIN conversations AS c ON c.id = a.conversation_id
WHERE c.created_at >= :since AND c.created_at < :until AND c.flow_id = 'post_contact'
  AND a.value IS NOT NULL AND a.question_id <> 'comment'
GROUP BY a.question_id, a.value::text
"""

# The same, by when the answers were given: the answers alone, without the conversations.
_DISTRIBUTION_ANSWERED = """
SELECT a.question_id, a.value::text AS value, count(*)
FROM answers AS a
WHERE a.answered_at >= :since AND a.answered_at < :until AND a.value IS NOT NULL
  AND a.question_id IN ('listened', 'respect', 'explained', 'overall', 'what_wrong', 'trust')
GROUP BY a.question_id, a.value::text
"""

_TREND = """
SELECT date_trunc(:period, c.created_at) AS period, a.value::text AS value, count(*)
FROM answers AS a JOIN conversations AS c ON c.id = a.conversation_id
WHERE c.created_at >= :since AND c.created_at < :until AND a.question_id = 'overall'
GROUP BY 1, 2
"""

# :dimension is one of the contact's or conversation's columns, named by the registry.
_BREAKDOWN = """
SELECT {dimension} AS key, count(*) AS triggered,
  count(*) FILTER (WHERE c.status = 'completed') AS completed,
  avg((a.value::text)::numeric) AS overall
FROM conversations AS c
LEFT JOIN contacts AS k ON k.id = c.contact_id
LEFT JOIN answers AS a ON a.conversation_id = c.id AND a.question_id = 'overall'
WHERE c.created_at >= :since AND c.created_at < :until {where}
GROUP BY 1
"""

_COMMENTS = """
SELECT a.raw_text, a.translation, a.language, a.answered_at, k.unit, k.call_type
FROM answers AS a JOIN conversations AS c ON c.id = a.conversation_id
LEFT JOIN contacts AS k ON k.id = c.contact_id
WHERE a.question_id = 'comment' AND a.value IS NOT NULL {where}
ORDER BY a.answered_at DESC, a.id DESC
LIMIT 50
"""


def _window(days: int) -> dict[str, Any]:
    """Return the bounds of the last `days` days before the seeded NOW."""
    return {"since": NOW - timedelta(days=days), "until": NOW}


def _rows(statement: str, **bound: Any) -> Timed:
    """Return a callable that runs `statement` and counts its rows."""
    query = sa.text(statement)
    return lambda session: len(session.execute(query, bound).all())


def standins() -> dict[str, Timed]:
    """Name each stand-in query of the dashboard with its parameters."""
    month, year, both = _window(30), _window(365), _window(730)
    unit = "AND k.unit = 'precinct-03'"
    return {
        "funnel 30 days": _rows(_FUNNEL, **month),
        "funnel 2 years": _rows(_FUNNEL, **both),
        "refusals by reason 2 years": _rows(_REFUSALS, **both),
        "distribution 30 days": _rows(_DISTRIBUTION, **month),
        "distribution 2 years": _rows(_DISTRIBUTION, **both),
        "distribution 30 days, by answer date": _rows(_DISTRIBUTION_ANSWERED, **month),
        "distribution 2 years, by answer date": _rows(_DISTRIBUTION_ANSWERED, **both),
        "trend by week 90 days": _rows(_TREND, period="week", **_window(90)),
        "trend by month 2 years": _rows(_TREND, period="month", **both),
        "by officer 30 days": _rows(_BREAKDOWN.format(dimension="k.officer_id", where=""), **month),
        "by officer 1 year": _rows(_BREAKDOWN.format(dimension="k.officer_id", where=""), **year),
        "by call type, one unit, 1 year": _rows(
            _BREAKDOWN.format(dimension="k.call_type", where=unit), **year
        ),
        "by language, one unit, es, 30 days": _rows(
            _BREAKDOWN.format(dimension="c.language", where=unit + " AND c.language = 'es'"),
            **month,
        ),
        "comments newest 50": _rows(_COMMENTS.format(where="")),
        "comments newest 50, one unit": _rows(_COMMENTS.format(where=unit)),
        "comments newest 50, es": _rows(_COMMENTS.format(where="AND a.language = 'es'")),
    }
