"""`python -m bot worker`: send scheduled surveys, reminders and retries, and translate answers."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bot.services.runtime import Runtime


@click.command()
@click.option("--burst", is_flag=True, help="Do what is due (and queued) now, then exit.")
def worker(burst: bool) -> None:
    """Run the background: an RQ worker with its scheduler (REDIS_URL), else in this process."""
    from bot.cli.runtime import opened_runtime
    from bot.config.settings import Settings

    _metrics_directory()
    with opened_runtime(migrate=False) as rt:
        settings = Settings.from_env()  # read after the runtime: a bad setting exits cleanly there
        _require_schema(settings.database_url)
        if settings.redis_url:
            _rq_worker(rt, burst)
        else:
            _in_process(rt, burst)


def _metrics_directory() -> None:
    """Create PROMETHEUS_MULTIPROC_DIR when it is set, as gunicorn.conf.py does for the web.

    A worker started before the web server (or on a machine without one) would otherwise fail
    every job at its first counted commit: prometheus_client opens its file there.
    """
    from bot.metrics import MULTIPROC_DIR

    directory = os.environ.get(MULTIPROC_DIR)
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)


def _require_schema(database_url: str) -> None:
    """Refuse to work on a database the web app (or `db upgrade`) has not brought up to date."""
    from storage.db import current_revision, head_revision, make_engine

    engine = make_engine(database_url)
    try:
        current, head = current_revision(engine), head_revision()
    finally:
        engine.dispose()
    if current != head:
        raise click.ClickException(
            f"the database schema is at {current or 'nothing'}, not {head}: "
            "start the web app or run `.venv/bin/python -m bot db upgrade` first"
        )


def _rq_worker(rt: Runtime, burst: bool) -> None:
    """Work the RQ queue with the scheduler (for reminders due later) and sweep the database."""
    from rq import Worker

    from bot.tasks import jobs
    from bot.tasks.rq import RqDispatcher

    dispatcher = rt.dispatcher
    if not isinstance(dispatcher, RqDispatcher):
        raise click.ClickException("REDIS_URL is set but the runtime has no RQ dispatcher")
    jobs.install(rt)
    dispatcher.start()  # The sweep re-enqueues whatever Redis lost.
    queue = dispatcher.queue()
    click.echo(f"worker on queue {queue.name!r}{' (burst)' if burst else ''}")
    try:
        Worker([queue], connection=queue.connection).work(with_scheduler=True, burst=burst)
    finally:
        jobs.uninstall(rt)


def _in_process(rt: Runtime, burst: bool) -> None:
    """Without Redis: run due items here, then keep sweeping until stopped."""
    from bot.services.scheduled_items import run_due_items

    if burst:
        outcomes = run_due_items(rt)
        click.echo(f"ran {len(outcomes)} due items: {', '.join(outcomes) or 'none'}")
        return
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if rt.dispatcher is not None:
        rt.dispatcher.start()
    click.echo("sending scheduled items in this process (no REDIS_URL); Ctrl-C stops")
    stop.wait()
