"""Render a flows check report (bot/flows/check.py) as aligned text for a terminal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.flows.check import (
    DRAFT,
    GSM7,
    CheckReport,
    Costs,
    FlowReport,
    LanguageReport,
    LocaleReport,
)

_LEGEND = "segments per message: G = GSM-7, U = UCS-2 (fewer characters per segment), - = none"
_FIRST = "first text: the opening message and the first question, sent together as one SMS"


def format_report(report: CheckReport) -> str:
    """Render the whole report: a table per flow, the locales, then the verdict."""
    lines: list[str] = []
    for flow in report.flows:
        lines += [*_flow_lines(flow), ""]
    if report.locales:
        lines += [*_locale_lines(report.locales), ""]
    lines += _verdict(report)
    return "\n".join(lines)


def _flow_lines(flow: FlowReport) -> list[str]:
    """Render one flow: its languages, what they lack, and each message's cost."""
    header = ["language", "status", "source", "encoding", "max", "total", "first text"]
    rows = [
        [
            r.language,
            r.status,
            r.source,
            r.costs.encoding,
            str(r.costs.max_segments),
            str(r.costs.total_segments),
            _cell(r.first_text.encoding, r.first_text.segments) if r.first_text else "-",
        ]
        for r in flow.languages
    ]
    lines = [f"flow {flow.id}  (version {flow.version})", ""]
    lines += _indent(_columns([header, *rows], right={4, 5, 6}))
    details = [line for report in flow.languages for line in _details(report)]
    if details:
        lines += ["", *_indent(details)]
    matrix = _matrix([r.language for r in flow.languages], [r.costs for r in flow.languages])
    return [*lines, "", f"  {_FIRST}", f"  {_LEGEND}", *_indent(matrix)]


def _details(report: LanguageReport) -> list[str]:
    """List what one language lacks or gets wrong, and any notes on it."""
    lines = []
    if report.missing:
        lines.append(f"{report.language}: not translated: {', '.join(report.missing)}")
    lines += [f"{report.language}: placeholders differ: {reason}" for reason in report.mismatches]
    lines += [f"{report.language}: {note}" for note in report.notes]
    return lines


def _locale_lines(locales: Sequence[LocaleReport]) -> list[str]:
    """Render the system messages of every locale (hints are counted in the questions)."""
    matrix = _matrix([locale.code for locale in locales], [locale.costs for locale in locales])
    title = "locales: system messages (hints are counted inside the questions above)"
    return [title, "", f"  {_LEGEND}", *_indent(matrix)]


def _matrix(names: Sequence[str], costs: Sequence[Costs]) -> list[str]:
    """Render messages down and languages across, each cell an encoding and segment count."""
    messages = list(dict.fromkeys(m.name for cost in costs for m in cost.messages))
    cells = [{m.name: _cell(m.encoding, m.segments) for m in cost.messages} for cost in costs]
    rows = [["message", *names]]
    rows += [[message, *(cell.get(message, "-") for cell in cells)] for message in messages]
    rows.append(["max", *(str(cost.max_segments) for cost in costs)])
    rows.append(["total", *(str(cost.total_segments) for cost in costs)])
    return _columns(rows, right=set(range(1, len(names) + 1)))


def _cell(encoding: str, segments: int) -> str:
    """Show one message's cost: `G2` is two GSM-7 segments, `U3` three UCS-2 segments."""
    return f"{'G' if encoding == GSM7 else 'U'}{segments}"


def _columns(rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Align rows into columns, right-aligning the columns numbered in `right`."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(
            cell.rjust(width) if column in right else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def _indent(lines: Iterable[str]) -> list[str]:
    """Indent lines under their heading."""
    return [f"  {line}" if line else line for line in lines]


def _verdict(report: CheckReport) -> list[str]:
    """Say what stops Parley, what is incomplete, what awaits review, or that all is well."""
    lines = [f"error: {error}" for error in report.errors]
    if report.failing:
        listing = ", ".join(f"{flow} {language}" for flow, language in report.failing)
        lines.append(f"incomplete: {listing}")
    drafts = [
        f"{flow.id} {r.language} ({r.source})"
        for flow in report.flows
        for r in flow.languages
        if r.status == DRAFT
    ]
    if drafts:
        lines.append(f"drafts awaiting review (not offered): {', '.join(drafts)}")
    if report.ok:
        offered = sum(r.status != DRAFT for flow in report.flows for r in flow.languages)
        lines.append(f"OK: {len(report.flows)} flow(s), {offered} offered language(s)")
    else:
        lines.append("FAILED: fix the problems above; Parley refuses to start until then")
    return lines
