"""The command line: tokens, schema, flow checks and the console simulator."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    """Environment for a CLI run on a fresh SQLite file."""
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "LOG_LEVEL": "WARNING"}


def run(env: dict[str, str], *args: str, input: str | None = None) -> tuple[int, str]:
    """Run `python -m bot ARGS` in-process; return the exit code and the output."""
    result = CliRunner().invoke(main, list(args), env=env, input=input)
    return result.exit_code, result.output


def test_db_upgrade_then_status_is_current(env: dict[str, str]) -> None:
    code, before = run(env, "db", "status")
    assert code == 1 and "current: empty" in before
    code, out = run(env, "db", "upgrade")
    assert code == 0 and "database at revision" in out
    code, after = run(env, "db", "status")
    assert code == 0 and "current: 0001_initial" in after


def test_token_create_prints_a_token_that_authenticates(env: dict[str, str]) -> None:
    from datetime import UTC, datetime

    from bot.bootstrap import bootstrap
    from bot.config import Settings
    from bot.services.tokens import authenticate

    code, out = run(env, "token", "create", "--name", "cad")
    assert code == 0
    token = next(line for line in out.splitlines() if line.startswith("pk_"))
    rt = bootstrap(Settings(database_url=env["DATABASE_URL"]))
    try:
        assert authenticate(rt.uow, token, datetime.now(UTC)) == "cad"
        assert authenticate(rt.uow, token + "x", datetime.now(UTC)) is None
    finally:
        rt.close()


def test_flows_check_lists_the_shipped_flows(env: dict[str, str]) -> None:
    code, out = run(env, "flows", "check")
    assert code == 0
    assert "post_contact" in out and "en, es" in out


def test_flows_check_reports_file_line_and_reason(env: dict[str, str], tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    source = Path("flows/post_contact.yaml").read_text(encoding="utf-8")
    broken = source.replace("next: respect", "next: q9", 1)
    (flows / "post_contact.yaml").write_text(broken, encoding="utf-8")
    (flows / "schema.json").write_text(Path("flows/schema.json").read_text(), encoding="utf-8")
    line = broken.splitlines().index("    next: q9") + 1
    code, out = run({**env, "FLOWS_DIR": str(flows)}, "flows", "check")
    assert code == 1
    assert f"post_contact.yaml:{line}: next 'q9' names no node" in out


def test_console_chat_walks_the_survey_in_spanish(env: dict[str, str]) -> None:
    answers = "sí\n5\n4\ncinco\n5\nTodo bien\n"
    code, out = run(env, "chat", "post_contact", "--lang", "es", input=answers)
    assert code == 0, out
    assert "encuesta" in out.lower()
    assert "(survey completed)" in out


def test_console_chat_stops_on_alto(env: dict[str, str]) -> None:
    code, out = run(env, "chat", "post_contact", "--lang", "es", input="ALTO\n")
    assert code == 0
    assert "(survey opted_out)" in out


def test_console_chat_with_unknown_flow_fails_cleanly(env: dict[str, str]) -> None:
    code, out = run(env, "chat", "nope")
    assert code == 1
    assert "no flow 'nope'" in out
