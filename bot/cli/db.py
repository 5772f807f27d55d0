"""`python -m bot db …`: the database schema."""

from __future__ import annotations

import sys

import click

from bot.config.settings import Settings


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (for deployments that migrate separately)."""
    from storage.db import current_revision, make_engine, upgrade

    engine = make_engine(Settings.from_env().database_url)
    upgrade(engine)
    click.echo(f"database at revision {current_revision(engine)}")


@db.command("status")
def db_status() -> None:
    """Show the database's schema revision and the newest one."""
    from storage.db import current_revision, head_revision, make_engine

    current = current_revision(make_engine(Settings.from_env().database_url))
    head = head_revision()
    click.echo(f"current: {current or 'empty'}\nhead:    {head}")
    if current != head:
        sys.exit(1)
