"""RQ entry points: ids in, a service call, exceptions out (so RQ records and retries them).

Run a worker with the web app's environment: `python -m bot worker`, which wires the runtime
once and installs it here before the first job (a process that installed none refuses to run
a job, rather than wiring a second runtime behind the worker's back).
"""

from __future__ import annotations

import logging
import threading
import uuid

from bot.logs import handling
from bot.services.alert_delivery import deliver_alert as deliver_alert_service
from bot.services.alert_delivery import sweep_alerts
from bot.services.runtime import Runtime
from bot.services.scheduled_items import run_item as run_item_service
from bot.services.scheduled_items import sweep_items
from bot.services.translations import sweep_translations
from bot.services.translations import translate_answer as translate_answer_service

log = logging.getLogger(__name__)
_lock = threading.Lock()
_built: dict[str, Runtime] = {}


class NoRuntimeError(RuntimeError):
    """A job ran in a process whose worker command installed no runtime."""


def runtime() -> Runtime:
    """Return the runtime the worker command installed."""
    with _lock:
        if "rt" not in _built:
            raise NoRuntimeError("no runtime installed: run jobs with `python -m bot worker`")
        return _built["rt"]


def install(rt: Runtime) -> None:
    """Make jobs in this process run with `rt` (the worker command, tests)."""
    with _lock:
        _built["rt"] = rt


def uninstall(rt: Runtime) -> None:
    """Stop running jobs with `rt` (it is being closed by whoever installed it)."""
    with _lock:
        if _built.get("rt") is rt:
            del _built["rt"]


def reset() -> None:
    """Close this worker's runtime; the next job wires a fresh one (tests, reconfiguration)."""
    with _lock:
        rt = _built.pop("rt", None)
    if rt is not None:
        rt.close()


def _enqueued_by() -> str | None:
    """Return the request id the job was enqueued under, from its RQ metadata."""
    from rq import get_current_job

    job = get_current_job()
    found = job.meta.get("request_id") if job is not None else None
    return found if isinstance(found, str) else None


def translate_answer(answer_id: str) -> str | None:
    """Translate one answer; a provider failure raises, so RQ retries the job."""
    with handling(_enqueued_by()):
        return translate_answer_service(runtime(), uuid.UUID(answer_id))


def run_item(item_id: str) -> str:
    """Carry out one scheduled item (idempotent: a second delivery of the job does nothing)."""
    # RQ stores the result: plain text, so reading it needs none of Parley's classes.
    with handling(_enqueued_by()):
        outcome = run_item_service(runtime(), uuid.UUID(item_id)).value
        # Under the id of the request that asked for it: one search finds both ends.
        log.info("scheduled item %s: %s", item_id, outcome)
        return outcome


def deliver_alert(delivery_id: str) -> str:
    """Send one alert delivery (idempotent: a second delivery of the job does nothing)."""
    with handling(_enqueued_by()):
        return deliver_alert_service(runtime(), uuid.UUID(delivery_id)).value


def sweep() -> int:
    """Enqueue every due translation, alert and scheduled item; return how many translations."""
    rt = runtime()
    sweep_alerts(rt)
    sweep_items(rt)
    return sweep_translations(rt)
