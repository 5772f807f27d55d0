"""`python -m bot respondent erase NUMBER`: a request made by phone or letter, on SQLite and the
real PostgreSQL: found, not found, unparseable, one channel, and the do-not-survey list."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient

from bot.cli.main import main
from bot.services.runtime import Runtime
from tests.web.helpers import post_sms, random_number, reply


@pytest.fixture()
def app(make_app: Callable[..., Flask], database_url: str) -> Flask:
    """Return the app on SQLite, then on the real PostgreSQL."""
    return make_app(database_url)


@pytest.fixture()
def rt(app: Flask) -> Runtime:
    """Return the app's runtime, handed to the commands as click's context object."""
    runtime: Runtime = app.extensions["parley.runtime"]
    return runtime


def erase(rt: Runtime, *args: str, answer: str | None = None) -> Result:
    """Run `respondent erase` with the runtime handed over (`answer` typed at the prompt)."""
    return CliRunner().invoke(main, ["respondent", "erase", *args], obj=rt, input=answer)


def resident_on(client: FlaskClient, number: str) -> None:
    """Make a resident at `number` on SMS: a survey keyword opens a conversation."""
    assert reply(post_sms(client, number, "SURVEY"))


def state(rt: Runtime, channel: str, address: str) -> tuple[bool, bool, int]:
    """Return (opted out, on the do-not-survey list, conversations) of a resident."""
    with rt.uow() as uow:
        found = uow.respondents.find(channel, address)
        assert found is not None
        live = uow.conversations.latest_for(found.id)
        return found.opted_out_at is not None, found.do_not_survey_at is not None, int(bool(live))


def audited(rt: Runtime) -> list[str]:
    """Return the details of the erasures the audit log holds, newest last."""
    from storage.queries import AuditFilter

    page = rt.admin.audit_page(AuditFilter(action="respondent_erased"), 1, 50)
    return [entry.detail for entry in reversed(page.entries)]


def test_a_found_number_is_erased_after_confirmation(
    app: Flask, rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    number = random_number()
    resident_on(app.test_client(), number)
    refused = erase(rt, number, answer="n\n")
    assert refused.exit_code == 1 and state(rt, "sms", number) == (False, False, 1)
    national = f"({number[2:5]}) {number[5:8]}-{number[8:]}"  # read in the agency's region
    with caplog.at_level(logging.INFO):
        result = erase(rt, national, answer="y\n")
    assert result.exit_code == 0, result.output
    assert "sms: erased 0 answers, 2 messages, 1 conversations" in result.output
    assert state(rt, "sms", number) == (True, False, 0)
    with rt.uow() as uow:
        kept = uow.respondents.find("sms", number)
        assert kept is not None and kept.address_enc == ""  # nothing to send: only the hash stays
    assert audited(rt)[-1].startswith("command line: ")
    assert number not in caplog.text and number[-7:] not in caplog.text
    assert reply(post_sms(app.test_client(), number, "hello")) == "", "opted out: no texts"


def test_no_more_surveys_keeps_the_number_on_the_do_not_survey_list(
    app: Flask, rt: Runtime
) -> None:
    number = random_number()
    resident_on(app.test_client(), number)
    result = erase(rt, number, "--yes", "--no-more-surveys")
    assert result.exit_code == 0, result.output
    assert state(rt, "sms", number) == (True, True, 0)


def test_a_number_not_found_says_so_and_exits_1(rt: Runtime) -> None:
    result = erase(rt, random_number(), "--yes")
    assert result.exit_code == 1
    assert "no resident with this address on sms or whatsapp" in result.output


@pytest.mark.parametrize("raw", ["not a number", "12", "+1 555 01"])
def test_an_unparseable_number_exits_2_with_the_reason_not_the_number(
    rt: Runtime, raw: str
) -> None:
    result = erase(rt, raw, "--yes")
    assert result.exit_code == 2
    assert "not a possible phone number" in result.output
    assert raw not in result.output


def test_channel_limits_the_look_up(app: Flask, rt: Runtime) -> None:
    number = random_number()
    resident_on(app.test_client(), number)
    assert erase(rt, number, "--yes", "--channel", "whatsapp").exit_code == 1
    assert state(rt, "sms", number) == (False, False, 1)
    result = erase(rt, number, "--yes", "--channel", "sms")
    assert result.exit_code == 0 and result.output.startswith("sms: erased")


def test_a_telegram_chat_is_erased_by_its_id(rt: Runtime) -> None:
    chat = str(10**9 + secrets.randbelow(10**9))
    with rt.uow() as uow:
        uow.respondents.for_update("telegram", chat, rt.clock())
        uow.commit()
    assert erase(rt, chat, "--yes").exit_code == 1, "a chat id is no phone number"
    bad = erase(rt, "@someone", "--yes", "--channel", "telegram")
    assert bad.exit_code == 2 and "numeric id" in bad.output
    result = erase(rt, chat, "--yes", "--channel", "telegram")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("telegram: erased")
    assert state(rt, "telegram", chat)[0] is True
