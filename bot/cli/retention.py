"""`python -m bot retention run`: erase what fell due for retention now (cron, a first run)."""

from __future__ import annotations

import click

from bot.cli.runtime import opened_runtime


@click.group()
def retention() -> None:
    """Erase residents' contact details and message bodies RETENTION_DAYS after a survey."""


@retention.command("run")
@click.option(
    "--batch",
    "batch_size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Conversations (or rows) per transaction.",
)
def retention_run(batch_size: int) -> None:
    """Erase everything past the retention period now, in batches, and print the counts.

    The sweep already does this hourly in every process that sends; this is for cron or a
    first run. It is safe beside them and may be run again: what is done is not done twice.
    """
    from bot.services.retention import run_retention

    with opened_runtime() as rt:
        report = run_retention(rt, rt.clock(), batch=batch_size)
        click.echo(f"retention after {rt.retention_days} days:")
    for name, count in report.counts():
        click.echo(f"  {name.replace('_', ' ')}: {count}")
