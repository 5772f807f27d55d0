"""Command line: python -m bot db|token|flows|contacts|survey|user|chat …"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.cli_chat import chat
from bot.cli_contacts import contacts
from bot.cli_surveys import survey
from bot.cli_users import user
from bot.cli_worker import worker
from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    from bot.services.runtime import Runtime


def _runtime(migrate: bool = True, overrides: Mapping[str, Any] | None = None) -> Runtime:
    """Bootstrap the runtime from the environment and `overrides`; config errors exit cleanly."""
    from bot.bootstrap import bootstrap, configure_logging
    from bot.yamlpos import DefinitionFileError

    try:
        settings = Settings.from_env().with_overrides(**(overrides or {}))
        configure_logging(settings)
        return bootstrap(settings, migrate=migrate)
    except (ConfigError, DefinitionFileError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """Parley: multilingual post-contact surveys by SMS and chat."""


main.add_command(chat)
main.add_command(contacts)
main.add_command(survey)
main.add_command(user)
main.add_command(worker)


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
@click.option(
    "--name", required=True, type=click.STRING, help="Who or what will use the token (≤ 100)."
)
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(["surveys:write", "results:read"]),
    help="What it may do (repeatable): surveys:write (the default) starts surveys and reads"
    " their status; results:read reads residents' answers.",
)
def token_create(name: str, scopes: tuple[str, ...]) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    from bot.services.tokens import DEFAULT_SCOPES, TokenError, create_token

    rt = _runtime()
    try:
        raw = create_token(rt.uow, name, rt.clock(), scopes or DEFAULT_SCOPES)
    except TokenError as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from exc
    click.echo(raw)
    click.echo("Store it now: Parley keeps only its hash.", err=True)


@token.command("list")
def token_list() -> None:
    """List API tokens: id, name, scopes, created, last used, revoked (never the token)."""
    from bot.services.tokens import list_tokens

    rt = _runtime()
    for info in list_tokens(rt.uow):
        used = info.last_used_at.isoformat() if info.last_used_at else "never used"
        state = f"revoked {info.revoked_at.isoformat()}" if info.revoked_at else "live"
        click.echo(
            f"{info.id}  {info.name}  {','.join(info.scopes)}"
            f"  created {info.created_at.isoformat()}  {used}  {state}"
        )


@token.command("revoke")
@click.argument("name_or_id")
def token_revoke(name_or_id: str) -> None:
    """Revoke API tokens by name or id; requests with them get 401 at once."""
    from bot.services.tokens import revoke_tokens

    rt = _runtime()
    count = revoke_tokens(rt.uow, name_or_id, rt.clock())
    if count == 0:
        raise click.ClickException(f"no live token named {name_or_id!r}")
    click.echo(f"revoked {count} token{'s' if count != 1 else ''}")


@main.group()
def flows() -> None:
    """Inspect flow definitions and their translations."""


@flows.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def flows_check(as_json: bool) -> None:
    """Check every flow, translation and locale: status and SMS cost of each language.

    Exits non-zero when a file is invalid or an offered language is incomplete; drafts
    awaiting review and costly messages are reported but do not fail the check.
    """
    import json

    from bot.i18n.flowcheck import check_flows
    from bot.i18n.flowreport import format_report

    report = check_flows(Settings.from_env())
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
    if not report.ok:
        sys.exit(1)


@flows.command("draft-translation")
@click.argument("flow")
@click.argument("language")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the draft (default flows/<flow>.<language>.yaml).",
)
@click.option("--force", is_flag=True, help="Replace an existing draft file.")
def flows_draft_translation(flow: str, language: str, out: Path | None, force: bool) -> None:
    """Draft LANGUAGE of FLOW with the configured machine translator, for review.

    The file is marked `machine: true`: residents are not offered the language until a person
    has reviewed every text and set it to false.
    """
    from bot.i18n.flowdraft import DraftError, draft_translation
    from bot.i18n.translate import make_translator
    from bot.ports import TranslationError
    from bot.yamlpos import DefinitionFileError

    settings = Settings.from_env()
    try:
        translator = make_translator(settings)
        if translator is None:
            raise click.ClickException("no translator configured: set TRANSLATOR (see README)")
        draft = draft_translation(settings.flows_dir, flow, language, translator, out, force)
    except (ConfigError, DefinitionFileError, DraftError, TranslationError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {draft.path}: {draft.texts} texts, machine: true (not offered yet)")
    for where in draft.kept:
        click.echo(f"  kept in the base language, marked TODO review: {where}")
    click.echo("Review every text, add synonyms and skip words, then set machine: false.")
