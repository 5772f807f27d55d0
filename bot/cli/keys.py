"""`python -m bot keys …`: the keys residents' contact details are encrypted with."""

from __future__ import annotations

import click

from bot.cli.runtime import opened_runtime


@click.group()
def keys() -> None:
    """Manage the keys residents' contact details are encrypted and hashed with."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a fresh random key for DATA_KEY or ADDRESS_HASH_KEY (base64 of 32 bytes)."""
    from bot.config.privacy import new_key

    click.echo(new_key())


@keys.command("rotate")
@click.option(
    "--batch",
    "batch_size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Rows re-encrypted per transaction.",
)
def keys_rotate(batch_size: int) -> None:
    """Re-encrypt every stored contact detail with DATA_KEY's first key, in batches.

    Put the new key first in DATA_KEY and keep the old ones after it ("new,old") while this
    runs and until it ends; it is safe during traffic and may be run again to resume.
    """
    from bot.services.key_rotation import rotate_keys, rows_per_key
    from storage.contact_cipher import UnreadableContactError

    with opened_runtime() as rt:
        current = _current_key_id()
        click.echo(f"current key: {current}")
        click.echo(f"before: {_shown(rows_per_key(rt.uow))}")
        try:
            for step in rotate_keys(rt.uow, batch_size):
                click.echo(
                    f"batch {step.batches}: {step.read} rows read, {step.resealed} re-encrypted"
                )
        except UnreadableContactError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"after:  {_shown(rows_per_key(rt.uow))}")


def _current_key_id() -> str:
    """Name the key DATA_KEY lists first (what rows are re-encrypted with), by its id."""
    from bot.config.privacy import contact_keys
    from bot.config.settings import Settings
    from storage.contact_cipher import key_id

    return key_id(contact_keys(Settings.from_env()).data_keys[0])


def _shown(counts: dict[str, int]) -> str:
    """Show the rows per key id (never an address)."""
    if not counts:
        return "no respondents"
    return ", ".join(f"key {kid}: {total} rows" for kid, total in sorted(counts.items()))
