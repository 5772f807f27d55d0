"""`python -m bot telegram`: registering the webhook and reading its status (a stand-in)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from bot.cli.main import main
from tests.telegram_standin import TOKEN, TelegramStandIn, telegram_standin


@pytest.fixture()
def telegram() -> Iterator[TelegramStandIn]:
    """Serve a local stand-in of the Bot API."""
    with telegram_standin() as standin:
        yield standin


def _env(telegram: TelegramStandIn, **extra: str) -> dict[str, str]:
    """Return the environment of a CLI run with the bot pointed at the stand-in."""
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": "s3cret",
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "PUBLIC_BASE_URL": "https://parley.example.org/",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def test_set_webhook_registers_the_url_secret_and_update_kinds(telegram: TelegramStandIn) -> None:
    result = CliRunner().invoke(main, ["telegram", "set-webhook"], env=_env(telegram))
    assert result.exit_code == 0, result.output
    ((method, params),) = telegram.calls
    assert method == "setWebhook"
    assert params["url"] == "https://parley.example.org/webhooks/telegram"
    assert params["secret_token"] == "s3cret"
    assert params["allowed_updates"] == ["message", "callback_query"]
    info = CliRunner().invoke(main, ["telegram", "info"], env=_env(telegram))
    assert info.exit_code == 0, info.output
    assert "url: https://parley.example.org/webhooks/telegram" in info.output
    assert "allowed updates: message, callback_query" in info.output


def test_set_webhook_refuses_without_a_secret(telegram: TelegramStandIn) -> None:
    env = _env(telegram, TELEGRAM_WEBHOOK_SECRET="")
    result = CliRunner().invoke(main, ["telegram", "set-webhook"], env=env)
    assert result.exit_code == 1
    assert "TELEGRAM_WEBHOOK_SECRET" in result.output
    assert telegram.calls == []


def test_a_wrong_token_is_reported(telegram: TelegramStandIn) -> None:
    env = _env(telegram, TELEGRAM_BOT_TOKEN="1:wrong")
    result = CliRunner().invoke(main, ["telegram", "info"], env=env)
    assert result.exit_code == 1
    assert "Telegram cannot be asked" in result.output
