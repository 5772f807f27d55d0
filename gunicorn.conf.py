"""Gunicorn settings for Parley; every value can be overridden on the command line."""

import os
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


def post_worker_init(worker: Any) -> None:
    """Start the worker's background sweep at once: due reminders must not wait for a request."""
    extensions = getattr(worker.wsgi, "extensions", {})
    runtime = extensions.get("parley.runtime")
    if runtime is not None and runtime.dispatcher is not None:
        runtime.dispatcher.start()
