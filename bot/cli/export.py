"""`python -m bot export`: every conversation's responses as CSV or JSON lines, written as read."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from bot.cli.runtime import opened_runtime

if TYPE_CHECKING:
    from datetime import datetime

    from bot.services.runtime import Runtime


@click.command("export")
@click.option(
    "--format",
    "kind",
    required=True,
    type=click.Choice(["csv", "jsonl"]),
    help="csv: one row per survey, a column group per question; jsonl: one JSON object a line.",
)
@click.option(
    "--since",
    default=None,
    help="Only surveys created at or after this ISO date or time (2026-01-31, or"
    " 2026-01-31T08:00:00Z; a time without a zone is UTC).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write to this file (default: standard output).",
)
def export(kind: str, since: str | None, out: Path | None) -> None:
    """Export every survey's responses: contact fields, disposition, languages and answers.

    Never a phone number, chat id or other address. Rows are read and written a batch at a
    time, so an export of any size runs in little memory.
    """
    from bot.services.exports import ExportError, parse_since

    try:
        moment = parse_since(since)
    except ExportError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    with opened_runtime() as rt, _opened(out) as stream:
        count = _write(rt, kind, moment, stream)
    click.echo(f"exported {count} survey{'' if count == 1 else 's'}", err=True)


@contextmanager
def _opened(out: Path | None) -> Iterator[TextIO]:
    """Open --out for writing (newline="" as the csv module asks), or yield standard output."""
    if out is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with out.open("w", encoding="utf-8", newline="") as stream:
        yield stream


def _write(rt: Runtime, kind: str, since: datetime | None, stream: TextIO) -> int:
    """Write every response since `since` to `stream` as `kind`; return how many.

    The audit log names the command line as the reader, with the rows written.
    """
    from bot.services.access import Read, counted, responses_subject
    from bot.services.audit import Action, command_line
    from bot.services.export_format import response_json
    from bot.services.exports import csv_export, every_response

    read = Read(command_line(), Action.RESPONSES_EXPORTED, responses_subject(since))
    count = 0
    with closing(counted(rt, read, every_response(rt, since), kind.upper())) as rows:
        if kind == "jsonl":
            for row in rows:
                stream.write(json.dumps(response_json(row), ensure_ascii=False) + "\n")
                count += 1
            return count
        for line in csv_export(rt, since, rows):
            stream.write(line)
            count += 1
    return count - 1  # the header is not a survey
