"""`python -m bot db …`: the database schema."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from bot.config.privacy import contact_keys
from bot.config.settings import Settings
from bot.errors import ConfigError

if TYPE_CHECKING:
    from storage.contact_cipher import ContactCipher


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (for deployments that migrate separately)."""
    from storage.db import current_revision, make_engine, upgrade

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine, _cipher(settings))
    except RuntimeError as exc:  # a migration that cannot go on without the keys
        raise click.ClickException(str(exc)) from None
    click.echo(f"database at revision {current_revision(engine)}")


def _cipher(settings: Settings) -> ContactCipher | None:
    """Return the contact details' cipher; None without keys (a migration moving rows refuses)."""
    from storage.contact_cipher import ContactCipher

    try:
        return ContactCipher(*contact_keys(settings))
    except ConfigError:
        return None


@db.command("status")
def db_status() -> None:
    """Show the database's schema revision and the newest one."""
    from storage.db import current_revision, head_revision, make_engine

    current = current_revision(make_engine(Settings.from_env().database_url))
    head = head_revision()
    click.echo(f"current: {current or 'empty'}\nhead:    {head}")
    if current != head:
        sys.exit(1)
