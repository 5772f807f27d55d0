"""`python -m bot flows …`: check flows, draft translations, export versions, route call types."""

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


@flows.command("export")
@click.argument("flow")
@click.option(
    "--version",
    "number",
    type=click.IntRange(min=1),
    default=None,
    help="The version to export (default: the live one).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The directory to write the flow file and its translation files into.",
)
def flows_export(flow: str, number: int | None, out: Path) -> None:
    """Write a published version of FLOW as flow files: the base file and one per translation.

    A version read from the flow files is written back byte for byte; one published in the
    browser is written in plain YAML that Parley reads back to the same flow.
    """
    from bot.cli.runtime import opened_runtime
    from bot.services.flow_admin import FlowAdminError, export_files

    with opened_runtime() as rt:
        try:
            files = export_files(rt, flow, number)
        except FlowAdminError as exc:
            raise click.ClickException(str(exc)) from exc
    out.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        (out / name).write_bytes(text.encode("utf-8"))
        click.echo(f"wrote {out / name}")


@flows.command("versions")
@click.argument("flow")
def flows_versions(flow: str) -> None:
    """List the published versions of FLOW, oldest first, the live one marked."""
    from bot.cli.runtime import opened_runtime
    from bot.services.flow_admin import FlowAdminError, list_versions

    with opened_runtime() as rt:
        try:
            versions = list_versions(rt, flow)
        except FlowAdminError as exc:
            raise click.ClickException(str(exc)) from exc
    for version in versions:
        live = "  (live)" if version.live else ""
        when = version.created_at.strftime("%Y-%m-%d %H:%M")
        click.echo(f"{version.number:>4}  {when}  {version.origin}{live}")


@flows.command("route")
@click.argument("call_type")
@click.argument("flow")
def flows_route(call_type: str, flow: str) -> None:
    """Start FLOW for surveys of CALL_TYPE when no flow is named ('*': the default flow)."""
    from bot.cli.runtime import opened_runtime
    from bot.services.audit import command_line
    from bot.services.flow_admin import FlowAdminError
    from bot.services.flow_routes import set_route

    with opened_runtime() as rt:
        try:
            key = set_route(rt, call_type, flow, by=command_line())
        except FlowAdminError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{'default' if key == '*' else key} -> {flow}")


@flows.command("unroute")
@click.argument("call_type")
def flows_unroute(call_type: str) -> None:
    """Send surveys of CALL_TYPE to the default flow again ('*': back to DEFAULT_FLOW)."""
    from bot.cli.runtime import opened_runtime
    from bot.services.audit import command_line
    from bot.services.flow_admin import FlowAdminError
    from bot.services.flow_routes import remove_route

    with opened_runtime() as rt:
        try:
            removed = remove_route(rt, call_type, by=command_line())
        except FlowAdminError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo("route removed" if removed else f"{call_type!r} had no route of its own")


@flows.command("routes")
def flows_routes() -> None:
    """Show which flow each call type starts, and the default flow."""
    from bot.cli.runtime import opened_runtime
    from bot.services.flow_routes import read_routes

    with opened_runtime() as rt:
        routes = read_routes(rt)
    source = " (DEFAULT_FLOW setting)" if routes.default_from_settings else ""
    click.echo(f"default -> {routes.default}{source}")
    for call_type, flow in sorted(routes.by_call_type.items()):
        click.echo(f"{call_type} -> {flow}")
