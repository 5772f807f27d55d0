"""Audited reads: one audit entry for every read of per-survey data (who, what, when).

Per-survey data is what one survey's resident said or what is known of that survey: the API's
survey report, exported responses, free-text comments, and alerts with the comments that raised
them. Aggregates (the funnel, distributions, the transparency page) are not: no one survey can
be read from them.

These reads go through read sides that never write (each in a short transaction of its own),
so the entry is written by a unit of work of its own, committed once the read has succeeded
and before the data is handed over; a refused or failed read writes nothing. A stream (a CSV,
JSON lines) is written as it is read, so its entry is committed when it ends, with the rows
it carried, also when it is cut short.
"""

from __future__ import annotations

import uuid
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from bot.services.audit import Action, record
from bot.services.reports import survey_report
from bot.services.results import ResultsRequest
from bot.services.runtime import Runtime

T = TypeVar("T")
# The dashboard's filters named in an entry, in the form's order; the rest only shape figures.
_FILTERS = ("unit", "officer", "call_type", "language", "channel", "flow", "version")


@dataclass(frozen=True)
class Read:
    """Who reads what: the actor, the kind of read, and its subject (an id or a filter)."""

    actor: str
    action: Action
    subject: str


def token_reader(name: str) -> str:
    """Name an API token as the actor of a read."""
    return f"API token {name}"


def log_read(rt: Runtime, read: Read, detail: str) -> None:
    """Write the audit entry of a read in a unit of work of its own, and commit it."""
    with rt.uow() as uow:
        record(uow, read.actor, read.action, read.subject, detail, rt.clock())
        uow.commit()


def read_survey_report(
    rt: Runtime, survey_id: uuid.UUID, actor: str, *, answers: bool
) -> dict[str, Any] | None:
    """Return a survey's report (None if there is none) after auditing the read."""
    report = survey_report(rt, survey_id, answers=answers)
    if report is None:
        return None
    detail = how_many(len(report["answers"]), "answer") if answers else "status only"
    log_read(rt, Read(actor, Action.SURVEY_REPORT_READ, str(survey_id)), detail)
    return report


def counted(rt: Runtime, read: Read, rows: Iterable[T], form: str) -> Generator[T, None, None]:
    """Yield `rows`; once they end, or the reader stops early, audit how many went out."""
    count, whole = 0, False
    try:
        for row in rows:
            count += 1  # before the yield: a reader that stops after this row has it
            yield row
        whole = True
    finally:
        cut = "" if whole else ", stopped early"
        log_read(rt, read, f"{form}, {how_many(count, 'row')}{cut}")


def responses_subject(since: datetime | None) -> str:
    """Name the responses an export reads: those since a moment, or all of them."""
    return f"responses since {since.isoformat()}" if since is not None else "every response"


def log_comments(rt: Runtime, actor: str, asked: ResultsRequest, shown: int, form: str) -> None:
    """Audit the dashboard's comments a person was shown (none shown: nothing was read)."""
    if shown:
        read = Read(actor, Action.COMMENTS_READ, results_subject(asked.shown, asked.page))
        log_read(rt, read, f"{form}, {how_many(shown, 'comment')}")


def log_feedback_comments(rt: Runtime, actor: str, officer_id: str, shown: int) -> None:
    """Audit the comments an officer's feedback page showed (each one resident's words)."""
    if shown:
        read = Read(actor, Action.COMMENTS_READ, f"officer feedback of {officer_id}")
        log_read(rt, read, f"page, {how_many(shown, 'comment')}")


def results_subject(shown: Mapping[str, str], page: int) -> str:
    """Name the dashboard's comments read: the date range, each filter set, and the page."""
    parts = [f"{shown.get('since', '')} to {shown.get('until', '')}"]
    parts += [f"{name.replace('_', ' ')} {shown[name]}" for name in _FILTERS if shown.get(name)]
    return f"dashboard comments {', '.join(parts)}, page {page}"


def how_many(number: int, noun: str) -> str:
    """Say how many of something: "1 row", "3 rows"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
