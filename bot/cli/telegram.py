"""`python -m bot telegram …`: register Parley's webhook with the Bot API and show its status."""

from __future__ import annotations

import click

from bot.config.settings import Settings


def _configured() -> Settings:
    """Read the settings; refuse when the bot's token, the secret or the public URL is missing."""
    settings = Settings.from_env()
    missing = [
        name
        for name, value in (
            ("TELEGRAM_BOT_TOKEN", settings.telegram_bot_token),
            ("TELEGRAM_WEBHOOK_SECRET", settings.telegram_webhook_secret),
            ("PUBLIC_BASE_URL", settings.public_base_url),
        )
        if not value
    ]
    if missing:
        raise click.ClickException("set " + ", ".join(missing) + " first")
    return settings


@click.group()
def telegram() -> None:
    """Connect the Telegram bot."""


@telegram.command("set-webhook")
def set_webhook() -> None:
    """Register PUBLIC_BASE_URL/webhooks/telegram with its secret and the update kinds read."""
    from bot.bootstrap import telegram_client
    from bot.channels.telegram import webhook_settings
    from bot.ports import DeliveryError

    settings = _configured()
    arguments = webhook_settings(settings)
    try:
        telegram_client(settings).call(lambda bot: bot.set_webhook(**arguments))
    except DeliveryError as exc:
        raise click.ClickException(f"Telegram refused the webhook: {exc}") from exc
    click.echo(f"webhook set: {arguments['url']} ({', '.join(arguments['allowed_updates'])})")


@telegram.command("info")
def info() -> None:
    """Show the webhook Telegram has: its URL, pending updates and the last error."""
    from bot.bootstrap import telegram_client
    from bot.ports import DeliveryError

    settings = Settings.from_env()
    if not settings.telegram_bot_token:
        raise click.ClickException("set TELEGRAM_BOT_TOKEN first")
    try:
        found = telegram_client(settings).call(lambda bot: bot.get_webhook_info())
    except DeliveryError as exc:
        raise click.ClickException(f"Telegram cannot be asked: {exc}") from exc
    click.echo(f"url: {found.url or '(none)'}")
    click.echo(f"pending updates: {found.pending_update_count}")
    click.echo(f"allowed updates: {', '.join(found.allowed_updates or ()) or '(all)'}")
    if found.last_error_message:
        click.echo(f"last error: {found.last_error_message}")
