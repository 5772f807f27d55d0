"""python -m bot cards print|revoke: a sheet of cards that open surveys, and revoking one."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import main
from bot.ports import InboundMessage
from bot.services.inbound.handle import handle_inbound
from bot.services.runtime import Runtime
from tests.support import ADDRESS_HASH_KEY, DATA_KEY, IMMEDIATE_POLICY

KEY = secrets.token_hex(32)


@pytest.fixture()
def env(database_url: str) -> dict[str, str]:
    """Environment for CLI runs on SQLite, then on PostgreSQL, with a bot to link to."""
    return {
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": KEY,
        "TELEGRAM_BOT_USERNAME": "SpringPDBot",
        "AGENCY_NAME": "Springfield Police",
        "DATA_KEY": DATA_KEY,
        "ADDRESS_HASH_KEY": ADDRESS_HASH_KEY,
    }


@pytest.fixture()
def rt(env: dict[str, str]) -> Iterator[Runtime]:
    """A runtime on the same database and key, as the web app and the worker would be."""
    from bot.bootstrap import bootstrap
    from bot.config.settings import Settings

    settings = Settings.from_env(env).with_overrides(send_policy=IMMEDIATE_POLICY)
    runtime = bootstrap(settings)
    yield runtime
    runtime.close()


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run `python -m bot ARGS` in-process; return the exit code and the output."""
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def sms(rt: Runtime, body: str) -> str:
    """Send one SMS from a new resident; return the reply."""
    number = f"+1555{secrets.randbelow(10**7):07d}"
    (reply,) = handle_inbound(rt, InboundMessage("sms", number, body, None, rt.clock()))
    return reply


def test_a_printed_sheet_holds_cards_that_open_surveys_until_revoked(
    env: dict[str, str], rt: Runtime, tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.html"
    code, out = run(
        env, "cards", "print", "--officer", "B77", "--count", "3", "--language", "es,ar",
        "--paper", "a4", "--out", str(sheet),
    )  # fmt: skip
    assert code == 0, out
    page = sheet.read_text(encoding="utf-8")
    codes = re.findall(r'data-code="([0-9A-Z]{8})"', page)
    assert len(set(codes)) == 3
    assert "size: A4" in page and "Springfield Police" in page
    assert 'lang="es" dir="ltr"' in page and 'lang="ar" dir="rtl"' in page
    assert f"https://t.me/SpringPDBot?start={codes[0]}" in page
    # A sheet in two languages hints neither: the keyword's language (ENCUESTA) decides.
    assert "please help us" in sms(rt, f"SURVEY {codes[2]}")
    assert "encuesta" in sms(rt, f"ENCUESTA {codes[0]}")
    assert run(env, "cards", "revoke", codes[1].lower()) == (0, "revoked\n")
    assert "ya no es válida" in sms(rt, f"encuesta {codes[1]}")
    assert run(env, "cards", "revoke", "22222222")[0] == 1


def test_unknown_languages_are_refused(env: dict[str, str]) -> None:
    code, out = run(env, "cards", "print", "--officer", "B77", "--language", "xx")
    assert code == 2 and "--language" in out


def printed_units(env: dict[str, str], rt: Runtime, tmp_path: Path, *args: str) -> list[str | None]:
    """Print two reusable cards with ARGS; open a survey with each; return the contacts' units."""
    sheet = tmp_path / f"{secrets.token_hex(4)}.html"
    code, out = run(env, "cards", "print", "--count", "2", "--reusable", "--out", str(sheet), *args)
    assert code == 0, out
    units: list[str | None] = []
    for card in re.findall(r'data-code="([0-9A-Z]{8})"', sheet.read_text(encoding="utf-8")):
        number = f"+1555{secrets.randbelow(10**7):07d}"
        message = InboundMessage("sms", number, f"SURVEY {card}", None, rt.clock())
        assert "please help us" in handle_inbound(rt, message)[0]
        with rt.uow() as uow:
            respondent = uow.respondents.find("sms", number)
            assert respondent is not None
            conversation = uow.conversations.latest_for(respondent.id)
            assert conversation is not None and conversation.contact_id is not None
            contact = uow.contacts.get(conversation.contact_id)
            assert contact is not None
            units.append(contact.unit)
    return units


def test_printed_cards_carry_the_unit_given_else_the_officers_account_unit(
    env: dict[str, str], rt: Runtime, tmp_path: Path
) -> None:
    from bot.services.accounts import create_user

    officer = f"B{secrets.token_hex(3)}"
    assert printed_units(env, rt, tmp_path, "--officer", officer) == [None, None]
    given = printed_units(env, rt, tmp_path, "--officer", officer, "--unit", "Traffic East")
    assert given == ["Traffic East", "Traffic East"]
    create_user(rt.uow, f"{officer}@agency.example", "correct horse battery staple", "officer",
                rt.clock(), officer_id=officer, unit="Precinct 5")  # fmt: skip
    assert printed_units(env, rt, tmp_path, "--officer", officer) == ["Precinct 5", "Precinct 5"]
