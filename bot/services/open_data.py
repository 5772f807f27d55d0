"""The transparency page's figures as open data: one row per figure, in CSV or JSON.

The rows are exactly the page's tables, suppressed the same way: a hidden figure is an empty
`responses` and `mean` with `suppressed` true. `level` says what a row adds up: a `cell`
(one group, one month), a `group` over every month, a `month` over every group, or the
`total`. `group` is a district or a language code; empty at level `cell` when the contact
had no unit recorded.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.services.export_format import neutralise
from bot.services.transparency import CountTable, Transparency

FIELDS = ("table", "question", "level", "group", "month", "responses", "mean", "suppressed")


def rows(report: Transparency) -> list[dict[str, Any]]:
    """Return every figure of the page as a row, in the page's order."""
    found = _table_rows("responses_by_district", "", report.by_district)
    found += _table_rows("responses_by_language", "", report.by_language)
    for question, table in report.scores:
        found += _table_rows("score_by_district", question.key, table)
    return found


def _table_rows(name: str, question: str, table: CountTable) -> list[dict[str, Any]]:
    """Return one table's cells, then each group's, each month's and the grand total."""
    n_rows, n_months = len(table.rows), len(table.months)
    positions = [(r, c) for r in range(n_rows) for c in range(n_months)]
    positions += [(r, n_months) for r in range(n_rows)]
    positions += [(n_rows, c) for c in range(n_months)] + [(n_rows, n_months)]
    found = []
    for r, c in positions:
        level = "cell" if r < n_rows and c < n_months else "group" if r < n_rows else "month"
        if r == n_rows and c == n_months:
            level = "total"
        count = table.count(r, c)
        found.append(
            {
                "table": name,
                "question": question,
                "level": level,
                "group": (table.rows[r] or "") if r < n_rows else "",
                "month": table.months[c] if c < n_months else "",
                "responses": count,
                "mean": table.mean(r, c) if question else None,
                "suppressed": count is None,
            }
        )
    return found


def as_json(report: Transparency) -> dict[str, Any]:
    """Return the open data as a JSON document: the rules, the questions and every row."""
    return {
        "k_anonymity": report.k,
        "months": list(report.months),
        "questions": {
            q.key: {"text": dict(q.text), "min": q.low, "max": q.high} for q, _ in report.scores
        },
        "rows": rows(report),
    }


def as_csv(report: Transparency) -> str:
    """Return the open data as CSV, one figure a row, hidden figures left empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(report):
        # A district is named by staff: one starting "=" must not run in a spreadsheet.
        flags = {"suppressed": "true" if row["suppressed"] else "false"}
        writer.writerow({**row, "group": neutralise(row["group"]), **flags})
    return out.getvalue()
