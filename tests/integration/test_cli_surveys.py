"""python -m bot survey cancel: stop a survey, or an incident's surveys, from the command line."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from bot.cli.main import main
from bot.scheduling.model import SendPolicy
from bot.services.reports import survey_report
from bot.services.runtime import Runtime
from bot.services.surveys import SurveyRequest, start_survey
from tests.support import FakeClock

if TYPE_CHECKING:
    from bot.config.settings import Settings

DELAYED = SendPolicy(delay=timedelta(hours=2), quiet_hours=None, default_timezone="UTC")


@pytest.fixture()
def env(database_url: str) -> dict[str, str]:
    """Environment for CLI runs on SQLite, then on PostgreSQL."""
    return {"DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}


@pytest.fixture()
def rt(
    env: dict[str, str], make_settings: Callable[[str], Settings], clock: FakeClock
) -> Iterator[Runtime]:
    """A runtime with SMS on the same database, to ask for surveys and check them."""
    from bot.bootstrap import bootstrap

    settings = make_settings(env["DATABASE_URL"]).with_overrides(send_policy=DELAYED)
    runtime = bootstrap(settings, clock=clock)
    yield runtime
    runtime.close()


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run `python -m bot ARGS` in-process; return the exit code and the output."""
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def ask(rt: Runtime, incident: str) -> uuid.UUID:
    """Ask for a survey about an incident for a fresh number; return its id."""
    number = f"+1212555{secrets.randbelow(10**4):04d}"
    request = SurveyRequest("sms", number, "post_contact", incident_id=incident, call_type="Alarm")
    return start_survey(rt, request).id


def status(rt: Runtime, survey_id: uuid.UUID) -> tuple[str, str | None]:
    """Return a survey's status and refusal reason."""
    found = survey_report(rt, survey_id)
    assert found is not None
    return found["status"], found["refusal_reason"]


def test_cancel_by_id_then_again(env: dict[str, str], rt: Runtime) -> None:
    survey = ask(rt, f"24-{secrets.token_hex(3)}")
    code, out = run(env, "survey", "cancel", str(survey))
    assert (code, out) == (0, f"{survey}: cancelled refused (cancelled)\n")
    assert status(rt, survey) == ("refused", "cancelled")
    code, out = run(env, "survey", "cancel", str(survey))
    assert (code, out) == (0, f"{survey}: unchanged, already refused (cancelled)\n")


def test_cancel_by_incident_as_reclassified(env: dict[str, str], rt: Runtime) -> None:
    incident = f"24-{secrets.token_hex(3)}"
    ids = {ask(rt, incident), ask(rt, incident)}
    kept = ask(rt, "24-other")
    code, out = run(env, "survey", "cancel", "--incident", incident, "--excluded-call-type")
    assert code == 0
    assert out.splitlines()[0] == "cancelled 2 surveys"
    assert {status(rt, i) for i in ids} == {("refused", "excluded_call_type")}
    assert status(rt, kept) == ("scheduled", None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give a survey id or --incident"),
        (("not-an-id",), "is not a survey id"),
        ((str(uuid.UUID(int=5)),), "no survey"),
    ],
)
def test_cancel_refuses_what_it_cannot_do(
    env: dict[str, str], rt: Runtime, args: tuple[str, ...], message: str
) -> None:
    code, out = run(env, "survey", "cancel", *args)
    assert code != 0
    assert message in out
