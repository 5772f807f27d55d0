"""`python -m bot chat`: take a survey in the terminal, in a throwaway database by default."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from bot.services.runtime import Runtime


@click.command()
@click.argument("flow")
@click.option("--lang", "language", default=None, help="Language code, e.g. es.")
@click.option(
    "--live",
    is_flag=True,
    help="Keep the conversation in the configured database (DATABASE_URL) instead of a"
    " throwaway one.",
)
def chat(flow: str, language: str | None, live: bool) -> None:
    """Take a survey in the terminal through the real engine and storage.

    A throwaway SQLite database is used and deleted at exit, so no console resident lands in
    the agency's results; --live uses the configured database.
    """
    from bot.channels.console import run_chat
    from bot.services.surveys import SurveyError

    with _chat_runtime(live) as rt:
        try:
            status = run_chat(rt, flow, language, lambda: input("you> "), sys.stdout)
        except SurveyError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"(survey {status})")


@contextmanager
def _chat_runtime(live: bool) -> Iterator[Runtime]:
    """Open the runtime the simulator talks to; close it (and drop a throwaway database)."""
    from bot.cli.runtime import opened_runtime
    from bot.config.privacy import new_key

    # INFO lines on stderr would break up the conversation on the terminal.
    overrides: dict[str, Any] = {"log_level": "WARNING"}
    with tempfile.TemporaryDirectory(prefix="parley-chat-") as scratch:
        if not live:
            overrides["database_url"] = f"sqlite:///{Path(scratch) / 'chat.db'}"
            # A configured Redis would hand this database's work to workers reading another.
            overrides["redis_url"] = ""
            # Throwaway keys for a throwaway database: no key needs setting to try a survey.
            overrides["data_keys"], overrides["address_hash_key"] = (new_key(),), new_key()
        with opened_runtime(overrides=overrides) as rt:
            yield rt
