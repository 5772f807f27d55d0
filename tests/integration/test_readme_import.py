"""The README's import example, run exactly as written: it must work on any day it is read."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from bot.cli.main import main
from bot.scheduling.model import SendPolicy
from tests.support import FakeClock

if TYPE_CHECKING:
    from bot.config.settings import Settings
    from bot.services.runtime import Runtime

README = Path(__file__).resolve().parents[2] / "README.md"
# 12:00 in Illinois (where the sample's 217 numbers are), 13:00 in New York: daytime.
DAYTIME = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
# 22:00 in Illinois: quiet hours until 09:00 there, 10:00 in New York.
NIGHT = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)


@pytest.fixture()
def rt(
    database_url: str, make_settings: Callable[[str], Settings], clock: FakeClock
) -> Iterator[Runtime]:
    """Wire a runtime with the agency defaults (2 h delay, quiet hours, 7-day contacts)."""
    from bot.bootstrap import bootstrap

    settings = make_settings(database_url).with_overrides(send_policy=SendPolicy())
    runtime = bootstrap(settings, clock=clock)
    yield runtime
    runtime.close()


def _section() -> str:
    """Return the README's section on importing contacts."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## Importing contacts from a dispatch export")
    return text[start : text.index("\n## ", start + 1)]


def _blocks(section: str, language: str) -> list[str]:
    """Return the section's fenced code blocks of one language, in order."""
    return re.findall(rf"```{language}\n(.*?)```", section, re.DOTALL)


def _run_readme(rt: Runtime, folder: Path) -> str:
    """Run the README's `contacts example` and dry-run lines as written; return the report."""
    commands = [
        shlex.split(line, comments=True) for line in _blocks(_section(), "sh")[0].splitlines()
    ]
    report = ""
    for words in commands:
        assert words[:3] == [".venv/bin/python", "-m", "bot"], words
        args = words[3:]
        target = args[args.index(">") + 1] if ">" in args else None
        args = args[: args.index(">")] if target else args
        if "import" in args and "--dry-run" not in args:
            continue  # the real import is the next step, not the example's
        args = [str(folder / a) if a.endswith(".csv") else a for a in args]
        result = CliRunner().invoke(main, args, obj=rt)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        if target:
            (folder / target).write_text(result.output, encoding="utf-8")
        else:
            report = result.output
    return report


def test_the_readme_example_runs_as_written_and_reports_what_the_readme_shows(
    rt: Runtime, clock: FakeClock, tmp_path: Path
) -> None:
    clock.now = DAYTIME
    report = _run_readme(rt, tmp_path)
    sample, shown = _blocks(_section(), "csv")[0], _blocks(_section(), "text")[0]
    assert (tmp_path / "calls.csv").read_text(encoding="utf-8") == sample
    assert report == shown


@pytest.mark.parametrize("days_later", [0, 30, 400])
def test_the_example_works_on_any_later_day(
    rt: Runtime, clock: FakeClock, tmp_path: Path, days_later: int
) -> None:
    from datetime import timedelta

    clock.now = DAYTIME + timedelta(days=days_later)
    report = _run_readme(rt, tmp_path)
    assert report == _blocks(_section(), "text")[0]


def test_at_night_the_report_says_when_the_first_texts_go_out(
    rt: Runtime, clock: FakeClock, tmp_path: Path
) -> None:
    clock.now = NIGHT
    report = _run_readme(rt, tmp_path)
    night = re.search(r"`(first texts: [^`]*)`", _section())
    assert night is not None
    assert night.group(1) in report.splitlines()
