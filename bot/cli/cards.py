"""`python -m bot cards …`: print a sheet of survey cards, revoke a card."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli.runtime import opened_runtime

if TYPE_CHECKING:
    from bot.services.runtime import Runtime


@click.group()
def cards() -> None:
    """Make and revoke survey cards."""


@cards.command("print")
@click.option("--officer", required=True, help="The officer the cards are handed out by.")
@click.option("--count", default=40, type=click.IntRange(1, 1000), help="How many cards.")
@click.option(
    "--language",
    "languages",
    default="en",
    help="Comma-separated languages of the line on each card, e.g. es,en.",
)
@click.option("--paper", default="letter", type=click.Choice(["letter", "a4"]))
@click.option("--reusable", is_flag=True, help="Cards that open a survey each time until revoked.")
@click.option(
    "--unit", default=None, help="The officer's unit (default: their account's, if they have one)."
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
def cards_print(
    officer: str,
    count: int,
    languages: str,
    paper: str,
    reusable: bool,
    unit: str | None,
    out: Path | None,
) -> None:
    """Write a print-ready HTML sheet of new cards (open it in a browser and print)."""
    from bot.cli.card_sheet import sheet_html
    from bot.services.cards import CardError, CardRequest, make_card

    with opened_runtime() as rt:
        chosen = _languages(rt, languages)
        # A sheet in several languages is for anyone: the resident's keyword or app decides.
        hint = chosen[0] if len(chosen) == 1 else None
        request = CardRequest(officer_id=officer, language=hint, reusable=reusable, unit=unit)
        try:
            made = [make_card(rt, request) for _ in range(count)]
        except CardError as exc:
            raise click.ClickException(str(exc)) from exc
        page = sheet_html(rt, made, chosen, paper)
    if out is None:
        click.echo(page)
    else:
        out.write_text(page, encoding="utf-8")
        click.echo(f"wrote {count} cards to {out}", err=True)


def _languages(rt: Runtime, languages: str) -> list[str]:
    """Read the comma-separated languages asked for; refuse any Parley has no locale for."""
    chosen = [code.strip() for code in languages.split(",") if code.strip()]
    if not chosen or any(code not in rt.locales for code in chosen):
        known = ", ".join(sorted(rt.locales))
        raise click.BadParameter(f"choose from {known}", param_hint="--language")
    return chosen


@cards.command("revoke")
@click.argument("code")
def cards_revoke(code: str) -> None:
    """Revoke a card: its code opens no survey from now on."""
    from bot.services.cards import revoke_card

    with opened_runtime() as rt:
        found = revoke_card(rt, code)
    if not found:
        raise click.ClickException("no card with that code")
    click.echo("revoked")
