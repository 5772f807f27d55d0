"""python -m bot export: every survey's responses as CSV or JSON lines, batch by batch."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask

from bot.cli.main import main
from bot.services.exports import every_response
from tests.support import FakeClock
from tests.web.responses_helpers import SCORES, addresses, answer, ask, assert_no_address, token

FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture()
def site(make_app: Callable[..., Flask], own_database_url: str) -> Flask:
    """An app on a database of its own (SQLite, then PostgreSQL) to ask for surveys with."""
    return make_app(own_database_url)


def run(site: Flask, *args: str) -> Result:
    """Run `python -m bot ARGS` in-process on the site's database."""
    env = {"DATABASE_URL": site.extensions["parley.settings"].database_url, "LOG_LEVEL": "WARNING"}
    return CliRunner().invoke(main, list(args), env=env)


def surveys(site: Flask, clock: FakeClock) -> tuple[str, str, str]:
    """Store an answered survey, an unanswered one, then one a day later; return their ids."""
    client = site.test_client()
    writer = token(site, "surveys:write")
    answered, number = ask(client, writer)
    answer(client, number, *SCORES, FORMULA)
    unanswered = ask(client, writer, officer_id="-7")[0]
    clock.advance(days=1)
    return answered, unanswered, ask(client, writer)[0]


def test_csv_to_a_file(site: Flask, clock: FakeClock, tmp_path: Path) -> None:
    answered, unanswered, later = surveys(site, clock)
    out = tmp_path / "responses.csv"

    result = run(site, "export", "--format", "csv", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert result.stderr == "exported 3 surveys\n"
    text = out.read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["survey_id"] for row in rows] == [*sorted([answered, unanswered]), later]
    by_id = {row["survey_id"]: row for row in rows}
    assert by_id[answered]["q_comment_raw"] == "'" + FORMULA
    assert by_id[answered]["q_listened"] == "true"
    assert by_id[unanswered]["officer_id"] == "'-7"
    assert by_id[unanswered]["q_respect"] == ""
    assert text.count("\r\n") == 4  # RFC 4180 line ends, none doubled
    assert_no_address(rows, addresses(site))


def test_json_lines_to_standard_output_since_a_date(site: Flask, clock: FakeClock) -> None:
    answered, unanswered, later = surveys(site, clock)

    every = run(site, "export", "--format", "jsonl")
    since = run(site, "export", "--format", "jsonl", "--since", "2026-11-03")

    assert every.exit_code == 0, every.output
    rows = [json.loads(line) for line in every.stdout.splitlines()]
    assert [row["survey_id"] for row in rows] == [*sorted([answered, unanswered]), later]
    [first] = [row for row in rows if row["survey_id"] == answered]
    assert {a["question"]: a["value"] for a in first["answers"]}["comment"] == FORMULA
    assert [json.loads(line)["survey_id"] for line in since.stdout.splitlines()] == [later]
    assert since.stderr == "exported 1 survey\n"
    assert_no_address(rows, addresses(site))


@pytest.mark.parametrize("since", ["last week", "2026-02-30"])
def test_a_bad_since_is_a_usage_error(site: Flask, since: str) -> None:
    result = run(site, "export", "--format", "csv", "--since", since)
    assert result.exit_code == 2
    assert "since must be an ISO 8601 date" in result.output


def test_an_export_reads_batch_after_batch_each_survey_once(site: Flask, clock: FakeClock) -> None:
    client = site.test_client()
    writer = token(site, "surveys:write")
    made = [ask(client, writer)[0] for _ in range(5)]
    rt = site.extensions["parley.runtime"]

    for batch in (1, 2, 5, 6):
        assert [str(row.id) for row in every_response(rt, None, batch)] == sorted(made), batch


def test_each_export_is_in_the_audit_log_as_the_command_line(
    site: Flask, clock: FakeClock, tmp_path: Path
) -> None:
    from bot.services.audit import command_line
    from tests.web.admin_pages import audit_rows

    surveys(site, clock)
    assert run(site, "export", "--format", "csv", "--out", str(tmp_path / "r.csv")).exit_code == 0
    assert run(site, "export", "--format", "jsonl", "--since", "2026-11-03").exit_code == 0
    assert run(site, "export", "--format", "csv", "--since", "someday").exit_code == 2

    assert audit_rows(site, "responses_exported") == [
        (
            command_line(),
            "responses_exported",
            "responses since 2026-11-03T00:00:00+00:00",
            "JSONL, 1 row",
        ),
        (command_line(), "responses_exported", "every response", "CSV, 3 rows"),
    ]
