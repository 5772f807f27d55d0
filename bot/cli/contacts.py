"""Command line: python -m bot contacts import FILE.csv | example — dispatch exports."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from bot.cli.runtime import opened_runtime

if TYPE_CHECKING:
    from bot.services.dispatch_import.importer import ImportOptions
    from bot.services.dispatch_import.report import ImportReport

# Exit statuses of `contacts import`: 1 is also what click gives any other failure.
SOME_REJECTED = 1
FILE_REFUSED = 2


@click.group()
def contacts() -> None:
    """Import contacts from dispatch (CAD/RMS) exports."""


@contacts.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--map",
    "pairs",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from the column headed COLUMN (repeatable); FIELD= ignores the field.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file of `field: Column Header` lines (--map wins over it).",
)
@click.option(
    "--flow", default=None, help="Flow to start (default: DEFAULT_FLOW, post_contact unless set)."
)
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--channel",
    type=click.Choice(["sms", "whatsapp"]),
    default="sms",
    help="Survey the numbers by SMS (the default) or on WhatsApp (needs its template).",
)
def contacts_import(
    file: Path,
    pairs: Sequence[str],
    mapping: Path | None,
    flow: str | None,
    dry_run: bool,
    as_json: bool,
    channel: str,
) -> None:
    """Start a survey for each row of FILE, a CSV export of a dispatch or records system.

    Columns are recognised by their headers (Phone, Incident Number, Call Type, Officer,
    Language, Cleared At…). Exits 0 when every row was accepted, 1 when some were rejected
    (the others are still imported), 2 when the file as a whole is refused.
    """
    from bot.services.dispatch_import.importer import ImportOptions

    options = ImportOptions(_overrides(mapping, pairs), flow, dry_run, channel)
    report, encoding = _import(file, options, as_json)
    _print(report, {"file": str(file), "encoding": encoding}, as_json)
    if report.stopped:
        sys.exit(FILE_REFUSED)
    sys.exit(SOME_REJECTED if report.rejected else 0)


@contacts.command("example")
@click.pass_obj
def contacts_example(obj: object) -> None:
    """Print a sample dispatch export whose calls cleared yesterday (try: > calls.csv)."""
    from datetime import UTC, datetime

    from bot.config.settings import Settings
    from bot.scheduling.model import SendPolicy
    from bot.services.dispatch_import.example import example_export
    from bot.services.runtime import Runtime

    if isinstance(obj, Runtime):
        now, zone = obj.clock(), obj.policy.default_zone
    else:
        policy = Settings.from_env().send_policy or SendPolicy()
        now, zone = datetime.now(UTC), policy.default_zone
    click.echo(example_export(now, zone), nl=False)


def _import(file: Path, options: ImportOptions, as_json: bool) -> tuple[ImportReport, str]:
    """Import the file; return the report and the encoding it was read in."""
    from bot.services.dispatch_import.importer import import_contacts
    from bot.services.dispatch_import.reader import ExportError, open_export

    with opened_runtime() as rt:
        try:
            with open_export(file) as (stream, encoding):
                return import_contacts(rt, stream, options), encoding
        except ExportError as exc:
            _refuse(file, str(exc), as_json)


def _print(report: ImportReport, source: dict[str, str], as_json: bool) -> None:
    """Print the report, as text or as JSON."""
    from bot.services.dispatch_import.report import describe

    if as_json:
        data = {**source, **report.as_json()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(describe(report)))


def _overrides(mapping: Path | None, pairs: Sequence[str]) -> dict[str, str]:
    """Merge the mapping file and --map pairs into {field: column header}."""
    from bot.services.dispatch_import.columns import read_overrides

    overrides: dict[str, str] = {}
    try:
        if mapping is not None:
            overrides.update(_mapping_file(mapping))
        overrides.update(read_overrides(pairs))
    except ValueError as exc:
        hint = f"--mapping {mapping}" if mapping is not None and not pairs else "--map"
        raise click.BadParameter(str(exc), param_hint=hint) from exc
    return overrides


def _mapping_file(path: Path) -> dict[str, str]:
    """Read a YAML mapping of field to column header; raise ValueError saying what is wrong."""
    import yaml

    from bot.services.dispatch_import.columns import read_overrides

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(v, str | None) and isinstance(k, str) for k, v in data.items()
    ):
        raise ValueError(f"{path} must map field names to column headers (address: Phone)")
    return read_overrides(f"{k}={v or ''}" for k, v in data.items())


def _refuse(file: Path, reason: str, as_json: bool) -> NoReturn:
    """Report that the file as a whole is refused, and exit."""
    if as_json:
        click.echo(json.dumps({"file": str(file), "refused": reason}, ensure_ascii=False))
    else:
        click.echo(f"parley: {file} refused, nothing imported: {reason}", err=True)
    sys.exit(FILE_REFUSED)
