"""The command line: tokens, schema, flow checks and the console simulator."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import main
from tests.standins import TwilioStandIn
from tests.support import (
    ACCOUNT_SID,
    ADDRESS_HASH_KEY,
    AUTH_TOKEN,
    DATA_KEY,
    FROM_NUMBER,
    TEST_KEYS,
)


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    """Environment for a CLI run on a fresh SQLite file."""
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "LOG_LEVEL": "WARNING",
        "DATA_KEY": DATA_KEY,
        "ADDRESS_HASH_KEY": ADDRESS_HASH_KEY,
    }


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
    assert code == 0 and "current: 0023_privacy_indexes" in after


def test_token_create_prints_a_token_that_authenticates(env: dict[str, str]) -> None:
    from datetime import UTC, datetime

    from bot.bootstrap import bootstrap
    from bot.config.settings import Settings
    from bot.services.tokens import authenticate

    code, out = run(env, "token", "create", "--name", "cad")
    assert code == 0
    token = next(line for line in out.splitlines() if line.startswith("pk_"))
    rt = bootstrap(Settings(database_url=env["DATABASE_URL"], **TEST_KEYS))
    try:
        bearer = authenticate(rt.uow, token, datetime.now(UTC))
        assert bearer is not None and bearer.name == "cad"
        # A dispatch system starts surveys; reading residents' answers is granted apart.
        assert bearer.scopes == {"surveys:write"}
        assert authenticate(rt.uow, token + "x", datetime.now(UTC)) is None
    finally:
        rt.close()


def test_token_scopes_are_chosen_at_creation_and_listed(env: dict[str, str]) -> None:
    code, out = run(env, "token", "create", "--name", "results", "--scope", "results:read")
    assert code == 0, out
    code, out = run(
        env,
        "token",
        "create",
        "--name",
        "both",
        "--scope",
        "results:read",
        "--scope",
        "surveys:write",
    )
    assert code == 0, out
    run(env, "token", "create", "--name", "cad")
    code, listed = run(env, "token", "list")
    rows = {line.split()[1]: line.split()[2] for line in listed.splitlines()}
    assert rows == {
        "results": "results:read",
        "both": "surveys:write,results:read",
        "cad": "surveys:write",
    }
    code, out = run(env, "token", "create", "--name", "x", "--scope", "results:write")
    assert code == 2 and "results:write" in out


def test_a_live_token_name_is_never_given_twice(env: dict[str, str]) -> None:
    code, _ = run(env, "token", "create", "--name", "cad")
    assert code == 0
    code, out = run(env, "token", "create", "--name", " cad ")
    assert code == 2 and "a live token is already named 'cad'" in out and "pk_" not in out
    assert run(env, "token", "list")[1].count(" cad ") == 1
    # Once revoked, the name is free again: a rotated token keeps its system's name.
    assert run(env, "token", "revoke", "cad")[0] == 0
    code, out = run(env, "token", "create", "--name", "cad")
    assert code == 0 and "pk_" in out


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_name_must_be_1_to_100_characters(env: dict[str, str], name: str) -> None:
    code, out = run(env, "token", "create", "--name", name)
    assert code == 2 and "1 to 100 characters" in out


def test_flows_check_lists_every_language_of_the_shipped_flows(env: dict[str, str]) -> None:
    from bot.flows.files import load_flows

    code, out = run(env, "flows", "check")
    assert code == 0, out
    assert "flow post_contact" in out
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines() if line.startswith("  ")}
    for language in load_flows(Path("flows"))["post_contact"].languages:
        assert rows.get(language) == "ok", f"{language} is not reported ok"
    assert out.splitlines()[-1].startswith("OK: ")


def test_flows_check_prints_json(env: dict[str, str]) -> None:
    import json

    code, out = run(env, "flows", "check", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    (flow,) = (f for f in report["flows"] if f["id"] == "post_contact")
    english = next(lang for lang in flow["languages"] if lang["language"] == "en")
    assert english["encoding"] == "GSM-7" and english["max_segments"] <= 2


def test_flows_check_reports_file_line_and_reason(env: dict[str, str], tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    source = Path("flows/post_contact.yaml").read_text(encoding="utf-8")
    broken = source.replace("next: respect", "next: q9", 1)
    (flows / "post_contact.yaml").write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("    next: q9") + 1
    code, out = run({**env, "FLOWS_DIR": str(flows)}, "flows", "check")
    assert code == 1
    assert f"post_contact.yaml:{line}: next 'q9' names no node" in out


def tiny_flows(tmp_path: Path, vi: str) -> dict[str, str]:
    """Write the tiny flow and a Vietnamese file; return the settings pointing at them."""
    from tests.translation_samples import FLOW, write

    write(tmp_path / "flows", "tiny.yaml", FLOW)
    write(tmp_path / "flows", "tiny.vi.yaml", vi)
    return {"FLOWS_DIR": str(tmp_path / "flows")}


def test_flows_check_fails_on_an_incomplete_translation(
    env: dict[str, str], tmp_path: Path
) -> None:
    from tests.translation_samples import changed

    vi = changed('    text: "Tại sao?"\n', "")
    code, out = run({**env, **tiny_flows(tmp_path, vi)}, "flows", "check")
    assert code == 1
    assert "vi: not translated: why" in out
    assert "tiny.vi.yaml" in out and "text of node 'why' is not translated" in out
    assert "incomplete: tiny vi" in out


def test_flows_check_passes_with_a_draft_awaiting_review(
    env: dict[str, str], tmp_path: Path
) -> None:
    from tests.translation_samples import VI, changed

    vi = changed("machine: false", "machine: true", VI)
    code, out = run({**env, **tiny_flows(tmp_path, vi)}, "flows", "check")
    assert code == 0, out
    assert "drafts awaiting review (not offered): tiny vi (tiny.vi.yaml)" in out
    code, out = run({**env, **tiny_flows(tmp_path, VI)}, "flows", "check")
    assert code == 0 and "drafts awaiting review" not in out


def test_flows_draft_translation_writes_a_machine_draft(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.translation_samples import VI, BracketTranslator

    settings = tiny_flows(tmp_path, VI)
    monkeypatch.setattr("bot.i18n.translate.make_translator", lambda s: BracketTranslator())
    code, out = run({**env, **settings}, "flows", "draft-translation", "tiny", "ko")
    assert code == 0, out
    path = tmp_path / "flows" / "tiny.ko.yaml"
    assert f"wrote {path}: 9 texts" in out
    assert "machine: true" in path.read_text(encoding="utf-8")
    code, out = run({**env, **settings}, "flows", "draft-translation", "tiny", "ko")
    assert code == 1 and "exists; pass --force" in out
    code, out = run({**env, **settings}, "flows", "check")
    assert code == 0 and "tiny ko (tiny.ko.yaml)" in out


def test_flows_draft_translation_needs_a_translator(env: dict[str, str], tmp_path: Path) -> None:
    from tests.translation_samples import VI

    settings = {**tiny_flows(tmp_path, VI), "TRANSLATOR": "none"}
    code, out = run({**env, **settings}, "flows", "draft-translation", "tiny", "ko")
    assert code == 1 and "no translator configured" in out
    assert not (tmp_path / "flows" / "tiny.ko.yaml").exists()


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


def console_respondents(database_url: str) -> int:
    """Count the console residents stored in a database (migrating it first)."""
    import sqlalchemy as sa

    from storage.db import make_engine, upgrade
    from storage.models import Respondent

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            query = sa.select(sa.func.count()).where(Respondent.channel == "console")
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


def test_console_chat_leaves_the_configured_database_alone(env: dict[str, str]) -> None:
    assert run(env, "db", "upgrade")[0] == 0
    code, out = run(env, "chat", "post_contact", "--lang", "es", input="sí\n5\nALTO\n")
    assert code == 0 and "(survey opted_out)" in out
    assert console_respondents(env["DATABASE_URL"]) == 0


def test_console_chat_live_uses_the_configured_database(env: dict[str, str]) -> None:
    code, out = run(env, "chat", "post_contact", "--live", input="ALTO\n")
    assert code == 0 and "(survey opted_out)" in out
    assert console_respondents(env["DATABASE_URL"]) == 1


def test_console_chat_in_a_terminal_shows_only_the_conversation(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    live = tmp_path / "live.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{live}",
        "LOG_LEVEL": "INFO",
        "TMPDIR": str(scratch),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "post_contact", "--lang", "es"],
        input="sí\n5\nALTO\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # Parley's lines, the resident's prompt and the outcome: no log line among them.
    assert done.stderr == ""
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert all(line.startswith(("  parley> ", "you> ", "(survey ")) for line in lines), lines
    assert lines[-1].endswith("(survey opted_out)")
    # The throwaway database is gone, and the configured one was never created.
    assert list(scratch.iterdir()) == []
    assert not live.exists()


def test_console_chat_with_unknown_flow_fails_cleanly(env: dict[str, str]) -> None:
    code, out = run(env, "chat", "nope")
    assert code == 1
    assert "no flow 'nope'" in out


@pytest.mark.parametrize("queue", ["in-process", "rq"])
def test_worker_burst_runs_what_is_due(
    env: dict[str, str], twilio: TwilioStandIn, queue: str, request: pytest.FixtureRequest
) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.bootstrap import bootstrap
    from bot.config.settings import Settings
    from bot.services.surveys import SurveyRequest, start_survey

    env = {
        **env,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_BASE_URL": twilio.url,
        "SURVEY_DELAY_MINUTES": "60",
        "QUIET_HOURS": "",
    }
    if queue == "rq":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    # The web app scheduled it two hours ago, for an hour later, and nobody sent it since.
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    rt = bootstrap(Settings.from_env(env), clock=lambda: two_hours_ago)
    try:
        started = start_survey(rt, SurveyRequest("sms", "+12125550188", "post_contact"))
    finally:
        rt.close()
    assert started.status == "scheduled" and twilio.sent == []

    code, out = run(env, "worker", "--burst")
    assert code == 0, out
    assert [m["To"] for m in twilio.sent] == ["+12125550188"]
    code, out = run(env, "worker", "--burst")
    assert code == 0, out
    assert len(twilio.sent) == 1


def test_a_revoked_token_stops_working_at_once(env: dict[str, str]) -> None:
    from datetime import UTC, datetime

    from bot.bootstrap import bootstrap
    from bot.config.settings import Settings
    from bot.services.tokens import authenticate

    code, out = run(env, "token", "create", "--name", "cad")
    token = next(line for line in out.splitlines() if line.startswith("pk_"))
    code, listed = run(env, "token", "list")
    assert code == 0 and " cad " in listed and "live" in listed and token not in listed

    code, out = run(env, "token", "revoke", "cad")
    assert code == 0 and "revoked 1 token" in out
    code, out = run(env, "token", "revoke", "cad")
    assert code == 1 and "no live token" in out
    assert "revoked" in run(env, "token", "list")[1]
    rt = bootstrap(Settings(database_url=env["DATABASE_URL"], **TEST_KEYS))
    try:
        assert authenticate(rt.uow, token, datetime.now(UTC)) is None
    finally:
        rt.close()


def test_worker_on_a_database_never_migrated_says_what_to_do(env: dict[str, str]) -> None:
    code, out = run(env, "worker", "--burst")
    assert code == 1
    assert "db upgrade" in out and "Traceback" not in out


def test_a_bad_setting_is_one_line_not_a_traceback(env: dict[str, str]) -> None:
    code, out = run({**env, "QUIET_HOURS": "late"}, "worker", "--burst")
    assert code == 1 and "QUIET_HOURS" in out and "Traceback" not in out
