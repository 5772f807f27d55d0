"""`python -m bot respondent …`: a resident's data, erased on a request made by phone or letter."""

from __future__ import annotations

import click

from bot.cli.runtime import opened_runtime


@click.group()
def respondent() -> None:
    """Residents' data: erasure on request."""


@respondent.command("erase")
@click.argument("number")
@click.option(
    "--channel",
    type=click.Choice(["sms", "whatsapp", "telegram"]),
    help="Where to look: a phone number is looked for on sms and whatsapp unless one is named;"
    " a Telegram chat id needs --channel telegram.",
)
@click.option("--yes", "assume_yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--no-more-surveys",
    is_flag=True,
    help="Also keep the number on the do-not-survey list: START brings back texts, not surveys.",
)
def respondent_erase(
    number: str, channel: str | None, assume_yes: bool, no_more_surveys: bool
) -> None:
    """Delete a resident's answers, messages, surveys and contacts; nothing is texted to them."""
    from bot.services.audit import command_line
    from bot.services.erasure import (
        ErasureError,
        addresses_of,
        channels_holding,
        erase_addresses,
        summary,
    )

    with opened_runtime() as rt:
        try:
            addresses = addresses_of(number, channel, rt.default_region)
        except ErasureError as exc:
            raise click.BadParameter(str(exc), param_hint="NUMBER") from None
        found = channels_holding(rt, addresses)
        if not found:
            raise click.ClickException(f"no resident with this address on {' or '.join(addresses)}")
        if not assume_yes:
            click.confirm(
                f"Delete everything held about this resident on {' and '.join(found)}?",
                abort=True,
            )
        held = {name: addresses[name] for name in found}
        erased = erase_addresses(rt, held, command_line(), no_more_surveys=no_more_surveys)
    for name, counts in erased.items():
        click.echo(f"{name}: erased {summary(counts)}")
