"""RQ entry points: ids in, a service call, exceptions out (so RQ records and retries them).

Run a worker with the web app's environment: `rq worker parley --with-scheduler --url
$REDIS_URL`. The runtime is wired from the environment on the first job, not at import.
"""

from __future__ import annotations

import threading
import uuid

from bot.services.runtime import Runtime
from bot.services.translations import sweep_translations
from bot.services.translations import translate_answer as translate_answer_service

_lock = threading.Lock()
_built: dict[str, Runtime] = {}


def runtime() -> Runtime:
    """Return this worker's runtime, wired from the environment on first use."""
    with _lock:
        if "rt" not in _built:
            from bot.bootstrap import bootstrap

            # The web app migrates the schema; two processes migrating at once could clash.
            _built["rt"] = bootstrap(migrate=False)
        return _built["rt"]


def reset() -> None:
    """Close this worker's runtime; the next job wires a fresh one (tests, reconfiguration)."""
    with _lock:
        rt = _built.pop("rt", None)
    if rt is not None:
        rt.close()


def translate_answer(answer_id: str) -> str | None:
    """Translate one answer; a provider failure raises, so RQ retries the job."""
    return translate_answer_service(runtime(), uuid.UUID(answer_id))


def sweep() -> int:
    """Enqueue every answer whose translation is due; return how many."""
    return sweep_translations(runtime())
