"""Readiness: whether the services a request needs (the database, Redis) answer right now."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

OK, DOWN = "ok", "unavailable"


def check(probes: Mapping[str, Callable[[], None]]) -> dict[str, str]:
    """Run every probe; return each one's state by name ("ok" or "unavailable").

    The reason is logged, not returned: a probe's error may name a host or a user, which an
    unauthenticated caller of /readyz has no business reading.
    """
    states: dict[str, str] = {}
    for name, probe in probes.items():
        try:
            probe()
        except Exception as exc:  # any failure means not ready; the type says which
            log.warning("readiness: %s unavailable (%s)", name, type(exc).__name__)
            states[name] = DOWN
        else:
            states[name] = OK
    return states
