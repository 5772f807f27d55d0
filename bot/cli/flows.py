"""`python -m bot flows …`: check flow definitions and draft translations."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.config.settings import Settings
from bot.errors import ConfigError


@click.group()
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

    from bot.flows.check import check_flows
    from bot.flows.report import format_report

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
    from bot.errors import DefinitionFileError
    from bot.flows.draft import DraftError, draft_translation
    from bot.i18n.translate import make_translator
    from bot.ports import TranslationError

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
