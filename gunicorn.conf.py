"""Gunicorn settings for Parley; every value can be overridden on the command line."""

import os
from pathlib import Path
from typing import Any

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Two processes per core: a Python process runs one thread at a time, and a turn waits on
# the database about as long as it computes.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "2"))
# Build the app (and migrate the schema) once in the master, not once per worker.
preload_app = True
accesslog = "-"
# Twilio's webhook URLs carry no personal data, but keep query strings out of access logs anyway.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'


# Metrics are kept per process in files here and summed by /metrics (bot/metrics.py). It must be
# set before prometheus_client is first imported, which is why it is set here and not in the app.
METRICS_DIR = Path(
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", str(Path(__file__).resolve().parent / "instance" / "metrics")
    )
)


def _start_metrics_afresh() -> None:
    """Drop the metric files of processes no longer running (their counters start again)."""
    METRICS_DIR.mkdir(parents=True, exist_ok=True)
    for stale in METRICS_DIR.glob("*.db"):
        pid = stale.stem.rpartition("_")[2]
        if not pid.isdigit() or not _running(int(pid)):
            stale.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """Say whether a process with this id is running (an RQ worker writing its metrics)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# Before the app is preloaded: the master may count its first commits there.
_start_metrics_afresh()


def child_exit(server: Any, worker: Any) -> None:
    """Let the metrics forget an exited worker's live gauges (its counters are kept)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker: Any) -> None:
    """Start the worker's background sweep at once: due reminders must not wait for a request."""
    extensions = getattr(worker.wsgi, "extensions", {})
    runtime = extensions.get("parley.runtime")
    if runtime is not None and runtime.dispatcher is not None:
        runtime.dispatcher.start()
