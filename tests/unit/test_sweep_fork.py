"""A fork (RQ's scheduler, a work horse) never inherits a lock the background sweep holds."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from bot.tasks import sweep
from bot.tasks.sweep import Sweeper


def test_a_fork_during_a_sweep_waits_for_it_and_copies_no_held_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = threading.Lock()  # Stands for any lock a sweep takes: _strptime's, a pool's.
    inside, forking = threading.Event(), threading.Event()

    def sweep_holding_a_lock(rt: Any) -> None:
        with held:
            inside.set()
            forking.wait(10)
            # Still holding it when the fork is asked for: without the guard, the child
            # would start with `held` taken by a thread it does not have.
            threading.Event().wait(0.5)

    monkeypatch.setattr(sweep, "sweep_once", sweep_holding_a_lock)
    monkeypatch.setattr(Sweeper, "retain", lambda self, rt: None)  # no database here
    sweeper = Sweeper(60)
    sweeper.start(object())  # type: ignore[arg-type]
    try:
        assert inside.wait(10)
        forking.set()
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            os._exit(0 if held.acquire(timeout=5) else 1)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0, "the child started with the lock held"
    finally:
        sweeper.stop()
