"""What an import of a dispatch export did with each row, and how to say it in a few lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Rejection:
    """A row that was not imported: its line, why, and who (never the whole phone number)."""

    line: int
    reason: str
    incident_id: str | None
    phone: str


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do) with every row of an export."""

    flow: str
    columns: dict[str, str]
    ignored: list[str]
    delimiter: str
    dry_run: bool
    rows: int = 0
    # Accepted rows by the status of their survey ("would_start" in a dry run).
    statuses: Counter[str] = field(default_factory=Counter)
    # Accepted rows whose survey a rule refused, by reason: not errors, the rules at work.
    refused: Counter[str] = field(default_factory=Counter)
    already_imported: int = 0
    # Surveys this import cancelled: a repeated row whose call type is now excluded.
    cancelled: int = 0
    # Columns read for call types besides call_type's own ("Final Call Type", "Disposition").
    call_type_columns: list[str] = field(default_factory=list)
    # Rows refused as excluded call types, by the column that named the type.
    excluded_by: Counter[str] = field(default_factory=Counter)
    # Dry run: when the first texts would go out ("at once", "at 09:00 on Tue 24 Nov (CST)").
    first_texts: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejection] = field(default_factory=list)
    # Why the import stopped before the end of the file, if it did.
    stopped: str | None = None

    @property
    def accepted(self) -> int:
        """Return how many rows were accepted."""
        return self.rows - len(self.rejected)

    def as_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "flow": self.flow,
            "dry_run": self.dry_run,
            "columns": self.columns,
            "ignored_columns": self.ignored,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "accepted": self.accepted,
            "statuses": dict(self.statuses),
            "refused_by_rule": dict(self.refused),
            "already_imported": self.already_imported,
            "cancelled": self.cancelled,
            "call_type_columns": self.call_type_columns,
            "excluded_call_type_by_column": dict(self.excluded_by),
            "first_texts": dict(self.first_texts),
            "rejected": [vars(r) for r in self.rejected],
            "stopped": self.stopped,
        }


def summary(report: ImportReport) -> str:
    """Say what happened in one line: "120 rows: 115 accepted (…), 5 rejected"."""
    notes = []
    if report.refused:
        total = sum(report.refused.values())
        reasons = (
            next(iter(report.refused))
            if len(report.refused) == 1
            else ", ".join(f"{n} {reason}" for reason, n in report.refused.most_common())
        )
        notes.append(f"{total} refused by rule: {reasons}")
    if report.already_imported:
        notes.append(f"{report.already_imported} already imported")
    noted = f" ({'; '.join(notes)})" if notes else ""
    return (
        f"{report.rows} {_rows(report.rows)}: {report.accepted} accepted{noted}, "
        f"{len(report.rejected)} rejected"
    )


def describe(report: ImportReport) -> list[str]:
    """Return the whole report as lines: columns, summary, each rejected row, the upshot."""
    columns = ", ".join(f"{name} ← {header!r}" for name, header in report.columns.items())
    lines = [f"flow {report.flow}; columns: {columns}"]
    if report.call_type_columns:
        also = ", ".join(repr(name) for name in report.call_type_columns)
        lines.append(f"also checked for excluded call types: {also}")
    if report.ignored:
        lines.append(f"ignored columns: {', '.join(repr(name) for name in report.ignored)}")
    lines.append(("dry run: " if report.dry_run else "") + summary(report))
    lines.extend(f"  {_rejected(r)}" for r in report.rejected)
    if report.excluded_by:
        named = ", ".join(f"{name!r} ({n})" for name, n in report.excluded_by.most_common())
        lines.append(f"excluded call types found in: {named}")
    return lines + _outcomes(report) + [_upshot(report)]


def _outcomes(report: ImportReport) -> list[str]:
    """Return the lines on what became of the surveys: cancelled, by status, first texts."""
    lines = []
    if report.cancelled:
        lines.append(
            f"cancelled {report.cancelled} survey{'' if report.cancelled == 1 else 's'} "
            "imported before: the call type is now excluded"
        )
    if report.statuses:
        counts = ", ".join(
            f"{n} {status.replace('_', ' ')}" for status, n in report.statuses.most_common()
        )
        lines.append(f"surveys: {counts}")
    if report.first_texts:
        when = ", ".join(f"{n} {label}" for label, n in sorted(report.first_texts.items()))
        lines.append(f"first texts: {when}")
    if report.stopped:
        lines.append(report.stopped)
    return lines


def send_label(at: datetime, now: datetime, zone: ZoneInfo) -> str:
    """Say when a first text would go out: "at once", or the time in the agency's zone."""
    if at <= now:
        return "at once"
    local = at.astimezone(zone)
    return f"at {local:%H:%M} on {local:%a} {local.day} {local:%b} ({local.tzname()})"


def _rejected(rejection: Rejection) -> str:
    """Describe one rejected row: line, incident, masked phone, reason."""
    incident = f"incident {rejection.incident_id}, " if rejection.incident_id else ""
    return f"line {rejection.line} ({incident}phone {rejection.phone}): {rejection.reason}"


def _upshot(report: ImportReport) -> str:
    """Say what was written, and what to do about rejected rows."""
    rejected = len(report.rejected)
    if report.dry_run:
        would = f"{report.accepted} of {report.rows} {_rows(report.rows)} would be imported"
        return f"Dry run: nothing was written ({would})."
    earlier = report.already_imported
    note = f" ({earlier} of them by an earlier import)" if earlier else ""
    if not rejected:
        return f"All {report.rows} {_rows(report.rows)} imported{note}."
    return (
        f"{rejected} {_rows(rejected)} rejected (listed above); "
        f"the other {report.accepted} were imported{note}."
    )


def _rows(count: int) -> str:
    """Return "row" or "rows" for a count."""
    return "row" if count == 1 else "rows"
