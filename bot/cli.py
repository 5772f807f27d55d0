"""Command line: python -m bot db|token|flows|chat …"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    from bot.services.runtime import Runtime


def _runtime(migrate: bool = True) -> Runtime:
    """Bootstrap the runtime from the environment, turning config errors into a clean exit."""
    from bot.bootstrap import bootstrap, configure_logging
    from bot.yamlpos import DefinitionFileError

    settings = Settings.from_env()
    configure_logging(settings)
    try:
        return bootstrap(settings, migrate=migrate)
    except (ConfigError, DefinitionFileError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """Parley: multilingual post-contact surveys by SMS and chat."""


@main.group()
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


@main.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.option("--name", required=True, help="Who or what will use the token.")
def token_create(name: str) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    from bot.services.tokens import create_token

    rt = _runtime()
    click.echo(create_token(rt.uow, name, rt.clock()))
    click.echo("Store it now: Parley keeps only its hash.", err=True)


@main.group()
def flows() -> None:
    """Inspect flow definitions."""


@flows.command("check")
def flows_check() -> None:
    """Validate every flow and locale file; exit non-zero with file:line: reason if one is bad."""
    rt = _runtime(migrate=False)
    for flow in rt.flows.values():
        click.echo(
            f"{flow.id} {flow.version}: {len(flow.nodes)} nodes, {', '.join(flow.languages)}"
        )
    click.echo(f"locales: {', '.join(sorted(rt.locales))}")


@main.command()
@click.argument("flow")
@click.option("--lang", "language", default=None, help="Language code, e.g. es.")
def chat(flow: str, language: str | None) -> None:
    """Take a survey in the terminal through the real engine and storage."""
    from bot.channels.console import run_chat
    from bot.services.surveys import SurveyError

    rt = _runtime()
    try:
        status = run_chat(rt, flow, language, lambda: input("you> "), sys.stdout)
    except SurveyError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"(survey {status})")
